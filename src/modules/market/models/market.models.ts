import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Connection } from '../../../common/graphql/connection.js';
import type { Employee } from '../../employee/employee.model.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import {
  BidStatus,
  BuyerKind,
  EngagementStatus,
  NeedStatus,
  TimeLogStatus,
} from '../market.enums.js';

registerEnumType(NeedStatus, { name: 'NeedStatus' });
registerEnumType(BidStatus, { name: 'BidStatus' });
registerEnumType(EngagementStatus, {
  name: 'EngagementStatus',
  description:
    'ACTIVE until every hour is logged or its weeks are over (COMPLETED), or the need is closed first (ENDED).',
});
registerEnumType(BuyerKind, { name: 'BuyerKind' });
registerEnumType(TimeLogStatus, {
  name: 'TimeLogStatus',
  description:
    'PENDING until the buyer approves (APPROVED: paid) or disputes (DISPUTED) them; a dispute ends APPROVED or REFUNDED (never paid).',
});

@ObjectType({
  description: 'Work a team wants done by people from other teams, paid in credits per hour.',
})
export class Need {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field()
  description: string;

  @Field(() => NeedStatus)
  status: NeedStatus;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field(() => Int)
  weeks: number;

  @Field(() => Int, {
    description:
      'The most the buyer pays per hour: no bid may ask more, so the need never escrows more ' +
      'than its budget. Its buyer may raise it while the need is OPEN, never lower it.',
  })
  ratePerHour: number;

  @Field(() => Int, { description: 'Hours a week already taken by accepted bids.' })
  acceptedHoursPerWeek: number;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the last hours were accepted.' })
  filledAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  seq: number;
  buyerKind: BuyerKind;
  buyerId: string;
  buyerAccountId: string;
  escrowAccountId: string;
  postedById: string;
}

@ObjectType()
export class NeedConnection extends Connection(Need) {}

@ObjectType({ description: 'A skill a need requires, at a minimum level.' })
export class RequiredSkill {
  @Field(() => Int)
  minLevel: number;

  skillId: string;
  needId: string;
}

@ObjectType({ description: "An employee's offer of hours on a need." })
export class Bid {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field(() => Int, {
    description:
      "Credits per hour asked: at most the need's ratePerHour. An accepted bid keeps its rate " +
      "whatever the need's rate becomes.",
  })
  ratePerHour: number;

  @Field()
  message: string;

  @Field(() => BidStatus)
  status: BidStatus;

  @Field(() => String, { nullable: true, description: 'Why it was rejected.' })
  decisionNote: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;

  @Field(() => CreditsScalar, {
    description: 'hoursPerWeek × the need’s weeks × ratePerHour: what accepting it costs.',
  })
  totalCost: number;

  seq: number;
  needId: string;
  bidderId: string;
  /** The bidder, when the statement that read the bid read them too. */
  bidder?: Employee;
}

@ObjectType()
export class BidConnection extends Connection(Bid) {}

@ObjectType({ description: 'An accepted bid: the work, the hours logged and the pay.' })
export class Engagement {
  @Field(() => ID)
  id: string;

  @Field(() => EngagementStatus)
  status: EngagementStatus;

  @Field(() => Int)
  hoursPerWeek: number;

  @Field(() => Int)
  weeks: number;

  @Field(() => Int)
  ratePerHour: number;

  @Field(() => Int, { description: 'hoursPerWeek × weeks.' })
  totalHours: number;

  @Field(() => Int, { description: 'Hours logged, whatever their review says.' })
  loggedHours: number;

  @Field(() => GraphQLLocalDate, {
    description:
      'The Monday of the ISO week it was accepted in: it runs `weeks` whole weeks (UTC) from there.',
  })
  startsOn: string;

  @Field(() => GraphQLLocalDate, {
    description: 'The last day of its last week: no work is logged after it.',
  })
  endsOn: string;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  seq: number;
  bidId: string;
  needId: string;
  employeeId: string;
}

@ObjectType()
export class EngagementConnection extends Connection(Engagement) {}

@ObjectType({
  description:
    'Hours worked on one day of an engagement. They are paid only once the buyer approves their week (or its review window passes undisputed).',
})
export class TimeLog {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  hours: number;

  @Field(() => GraphQLLocalDate)
  date: string;

  @Field()
  note: string;

  @Field(() => TimeLogStatus)
  status: TimeLogStatus;

  @Field(() => CreditsScalar, {
    description:
      'hours × the engagement’s rate: what these hours pay the worker’s home team once approved.',
  })
  amount: number;

  @Field()
  loggedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When they were paid or refunded.' })
  settledAt: Date | null;

  engagementId: string;
  timesheetId: string;
  disputeId: string | null;
  seq: number;
}

@ObjectType()
export class TimeLogConnection extends Connection(TimeLog) {}

@ObjectType({ description: 'How well an employee fits a need, and why.' })
export class CandidateMatch {
  @Field(() => Float, {
    description: '0 to 1: skills covered (60 %), spare hours (25 %), past delivery (15 %).',
  })
  score: number;

  @Field(() => Int, { description: 'Required skills held at the required level.' })
  coveredSkillCount: number;

  @Field(() => Int)
  requiredSkillCount: number;

  @Field(() => Int, { description: 'Weekly capacity not yet committed.' })
  spareHoursPerWeek: number;

  @Field(() => Int, { description: 'Market engagements completed so far.' })
  completedEngagements: number;

  employeeId: string;
  needId: string;
}

@ObjectType({ description: 'A required skill the candidate holds, and at what level.' })
export class SkillMatch {
  @Field(() => Int)
  level: number;

  @Field(() => Int)
  requiredLevel: number;

  @Field({ description: 'The level meets the requirement.' })
  meetsRequirement: boolean;

  skillId: string;
}
