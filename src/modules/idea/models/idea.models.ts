import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../../common/graphql/connection.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';
import { MAX_IDEA_SKILLS } from '../idea-limits.js';
import { IdeaSort, IdeaStatus } from '../idea.enums.js';

registerEnumType(IdeaStatus, { name: 'IdeaStatus' });
registerEnumType(IdeaSort, { name: 'IdeaSort' });

@ObjectType({
  description: 'A proposal anyone can make; team leads fund it, the sponsor team approves it.',
})
export class Idea {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field()
  problem: string;

  @Field()
  proposal: string;

  @Field()
  expectedOutcomes: string;

  @Field(() => IdeaStatus)
  status: IdeaStatus;

  @Field(() => CreditsScalar)
  fundingGoal: number;

  @Field(() => CreditsScalar, {
    description:
      'Credits pledged: held in the idea’s escrow until approval, refunded if rejected or withdrawn.',
  })
  pledgedTotal: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Hours a week the proposer expects it to need.',
  })
  hoursPerWeekNeeded: number | null;

  @Field(() => Int)
  endorsementCount: number;

  @Field(() => [String], {
    description: atMost(
      MAX_IDEA_SKILLS,
      'Skills this draft names that nobody has used yet: they are created, and join skillsNeeded, when it is submitted.',
    ),
  })
  @MaxItems(MAX_IDEA_SKILLS)
  pendingSkillNames: string[];

  @Field(() => String, { nullable: true, description: 'Why it was rejected.' })
  decisionReason: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  submittedAt: Date | null;

  @Field(() => Date, { nullable: true })
  fundedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When it was approved, rejected or withdrawn.',
  })
  decidedAt: Date | null;

  seq: number;
  proposerId: string;
  sponsorTeamId: string;
  escrowAccountId: string;
  initiativeId: string | null;
}

@ObjectType()
export class IdeaConnection extends Connection(Idea) {}

@ObjectType({ description: 'Credits a team pledged to an idea.' })
export class Pledge {
  @Field(() => ID)
  id: string;

  @Field(() => CreditsScalar)
  amount: number;

  @Field()
  pledgedAt: Date;

  ideaId: string;
  teamId: string;
  pledgedById: string;
}

@ObjectType({ description: 'An idea that looks like another, and how much.' })
export class SimilarIdea {
  @Field(() => Float, {
    description: '0 to 1: title trigram similarity or full-text rank, whichever is higher.',
  })
  similarity: number;

  ideaId: string;
}
