import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../common/graphql/connection.js';
import { TeamRole } from './team-role.js';

registerEnumType(TeamRole, { name: 'TeamRole' });

@ObjectType({
  description: 'A team (circle): a budget holder and, in the market, a customer and a supplier.',
})
export class Team {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  purpose: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the team was archived: it takes no new needs, bids or members.',
  })
  archivedAt: Date | null;

  /** The company directory's id for the group this team is provisioned from (SCIM). */
  externalId: string | null;
}

@ObjectType()
export class TeamConnection extends Connection(Team) {}
