import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Connection } from '../../../common/graphql/connection.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { DisputeDecision, DisputeStatus } from '../market.enums.js';

registerEnumType(DisputeStatus, {
  name: 'DisputeStatus',
  description:
    'OPEN (the buyer disputed hours) → CONCEDED (the worker accepts: refunded) or CONTESTED → PAID / REFUNDED (an admin decides).',
});
registerEnumType(DisputeDecision, { name: 'DisputeDecision' });

@ObjectType({
  description:
    'One ISO week (Monday to Sunday, UTC) of an engagement: its hours by how the buyer’s review left them. Hours still pending when the review window ends are approved and paid automatically.',
})
export class Timesheet {
  @Field(() => ID)
  id: string;

  @Field(() => GraphQLLocalDate, { description: 'The Monday of the week.' })
  weekStart: string;

  @Field(() => Int, {
    description: 'The most this week may hold: the engagement’s hours per week.',
  })
  maxHours: number;

  @Field(() => Int)
  loggedHours: number;

  @Field(() => Int, { description: 'Logged, not yet reviewed.' })
  pendingHours: number;

  @Field(() => Int, { description: 'In an unresolved dispute.' })
  disputedHours: number;

  @Field(() => Int, { description: 'Approved and paid.' })
  approvedHours: number;

  @Field(() => Int, { description: 'Disputed and refunded to the buyer: never paid.' })
  refundedHours: number;

  @Field({
    description:
      'Until when the buyer may dispute this week’s hours (TIMESHEET_REVIEW_DAYS after the week ends); pending hours are approved after it.',
  })
  reviewEndsAt: Date;

  engagementId: string;
}

@ObjectType({ description: 'Hours of one week that the buyer disputed, and how it ended.' })
export class TimesheetDispute {
  @Field(() => ID)
  id: string;

  @Field(() => DisputeStatus)
  status: DisputeStatus;

  @Field(() => Int)
  hours: number;

  @Field(() => CreditsScalar, { description: 'What the disputed hours are worth.' })
  amount: number;

  @Field({ description: 'The buyer’s reason.' })
  reason: string;

  @Field()
  openedAt: Date;

  @Field(() => String, { nullable: true, description: 'The worker’s answer when contesting.' })
  response: string | null;

  @Field(() => Date, { nullable: true, description: 'When the worker conceded or contested.' })
  answeredAt: Date | null;

  @Field(() => Date, { nullable: true })
  decidedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the admin decided as they did.' })
  decisionNote: string | null;

  seq: number;
  timesheetId: string;
  engagementId: string;
  openedBy: string;
  decidedBy: string | null;
}

@ObjectType()
export class TimesheetDisputeConnection extends Connection(TimesheetDispute) {}
