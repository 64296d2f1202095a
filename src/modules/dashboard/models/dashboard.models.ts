import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../../common/graphql/connection.js';
import type { WeekRange } from '../../../common/graphql/date-range.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';
import { PnlFigures, ResolvedPeriod } from '../../budget/budget.models.js';
import type { HoursWeek } from '../../budget/pnl.js';
import { SPARKLINE_POINTS } from '../../initiative/initiative-limits.js';
import { InitiativeStatus, MetricDirection } from '../../initiative/initiative.enums.js';
import { INITIATIVE_FIGURES } from '../../initiative/models/initiative.models.js';
import type { FlowWeek } from '../../ledger/account-flow.service.js';
import {
  MAX_MARKET_STATS_SKILLS,
  type InitiativeOutcomeSort,
  type InitiativeOutcomesFilter,
} from '../dto/dashboard.inputs.js';

const INITIATIVE_STATUSES = Object.keys(InitiativeStatus).length;

@ObjectType()
export class StatusCount {
  @Field(() => InitiativeStatus)
  status: InitiativeStatus;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: 'Org-wide figures over the initiatives the filter selects.' })
export class OutcomeTotals {
  @Field(() => Int)
  initiativeCount: number;

  @Field(() => CreditsScalar)
  funded: number;

  @Field(() => CreditsScalar)
  spent: number;

  @Field(() => [StatusCount], { description: atMost(INITIATIVE_STATUSES, 'One per status.') })
  @MaxItems(INITIATIVE_STATUSES)
  byStatus: StatusCount[];

  @Field(() => Float, {
    nullable: true,
    description:
      'The mean outcome score of the initiatives that have one (unrounded scores), rounded to one decimal place.',
  })
  averageOutcomeScore: number | null;
}

@ObjectType({ description: "An outcome metric's figures for a dashboard." })
export class MetricOutcome {
  @Field()
  name: string;

  @Field()
  unit: string;

  @Field(() => MetricDirection)
  direction: MetricDirection;

  @Field(() => Float)
  baseline: number;

  @Field(() => Float, {
    nullable: true,
    description: 'The value of the most recent current reading; null before a measurement.',
  })
  latestValue: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'The same as latestValue.',
    deprecationReason:
      'On OutcomeMetric, "latest" is the reading itself (a Measurement): use latestValue, as on OutcomeMetric.',
  })
  latest: number | null;

  @Field(() => Float)
  target: number;

  @Field(() => Float, {
    nullable: true,
    description:
      '0–100 from baseline to target (as OutcomeMetric.progressPercent), rounded to one decimal place; null before a measurement.',
  })
  progressPercent: number | null;

  @Field(() => [Float], {
    description: atMost(
      SPARKLINE_POINTS,
      `The latest ${SPARKLINE_POINTS} readings, oldest first, for a sparkline.`,
    ),
  })
  @MaxItems(SPARKLINE_POINTS)
  series: number[];

  metricId: string;
}

@ObjectType({ description: 'An initiative in numbers.' })
export class InitiativeOutcome {
  @Field(() => InitiativeStatus)
  status: InitiativeStatus;

  @Field()
  title: string;

  @Field()
  startedAt: Date;

  @Field(() => CreditsScalar, { description: 'What it was funded with.' })
  budget: number;

  @Field(() => CreditsScalar, { description: 'Put into its needs’ escrow, net of returns.' })
  spent: number;

  @Field(() => CreditsScalar, { description: 'budget − spent.' })
  remaining: number;

  @Field(() => Int, { description: INITIATIVE_FIGURES.hoursCommittedPerWeek })
  hoursCommittedPerWeek: number;

  @Field(() => Int, { description: 'Hours logged on its needs.' })
  hoursLogged: number;

  @Field(() => Int, { description: INITIATIVE_FIGURES.currentMemberCount })
  currentMemberCount: number;

  @Field(() => Int, { description: INITIATIVE_FIGURES.allTimeMemberCount })
  allTimeMemberCount: number;

  @Field(() => Int, {
    description: 'The same as allTimeMemberCount.',
    deprecationReason: INITIATIVE_FIGURES.memberCountDeprecation(
      'allTimeMemberCount (the same figure), or currentMemberCount',
    ),
  })
  memberCount: number;

  @Field(() => Int)
  milestonesDone: number;

  @Field(() => Int)
  milestonesTotal: number;

  @Field(() => Float, { nullable: true, description: INITIATIVE_FIGURES.milestoneProgressPercent })
  milestoneProgressPercent: number | null;

  @Field(() => Float, { nullable: true, description: INITIATIVE_FIGURES.outcomeScore })
  outcomeScore: number | null;

  initiativeId: string;
  sponsorTeamId: string;
  memberTeamIds: string[];
  seq: number;
  /** The unrounded score (−1 without one) that orders pages and their cursors. */
  scoreKey: number;
}

@ObjectType()
export class InitiativeOutcomeConnection extends Connection(InitiativeOutcome) {}

@ObjectType()
export class InitiativeOutcomes {
  @Field(() => OutcomeTotals)
  totals: OutcomeTotals;

  // `initiatives` is InitiativeOutcomesResolver's: it pages on its own first/after.
  filter: InitiativeOutcomesFilter | undefined;
  sort: InitiativeOutcomeSort;
  /** initiativeOutcomes' deprecated paging arguments. */
  deprecatedPage: { first: number; after?: string };
}

@ObjectType({
  description: 'Discrete percentiles of accepted rates: the market’s clearing price per hour.',
})
export class RateDistribution {
  @Field(() => Int)
  p25: number;

  @Field(() => Int)
  median: number;

  @Field(() => Int)
  p75: number;
}

@ObjectType({ description: "One skill's market: demand, supply, prices and how fast needs fill." })
export class SkillMarketStats {
  @Field(() => Int, { description: 'Open needs requiring it, now.' })
  openNeeds: number;

  @Field(() => Int, { description: 'Hours a week still wanted by open needs requiring it, now.' })
  openDemandHoursPerWeek: number;

  @Field(() => Int, { description: 'People holding the skill, now.' })
  holders: number;

  @Field(() => Int, { description: 'Their spare weekly capacity, now.' })
  supplyHoursPerWeek: number;

  @Field(() => Int, { description: 'Needs posted in the period.' })
  needsPosted: number;

  @Field(() => Int, { description: 'Of those, needs fully accepted since.' })
  needsFilled: number;

  @Field(() => Float, { nullable: true, description: 'needsFilled ÷ needsPosted, in percent.' })
  fillRatePercent: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Median hours from posting to full acceptance (rounded).',
  })
  medianHoursToFill: number | null;

  @Field(() => Int, { description: 'Bids accepted in the period.' })
  acceptedBids: number;

  @Field(() => RateDistribution, {
    nullable: true,
    description: 'Rates of the bids accepted in the period.',
  })
  acceptedRate: RateDistribution | null;

  skillId: string;
}

const MARKET_HOURS =
  'Hours worked on the market in the ISO weeks (Monday to Sunday, UTC) of the period, by the day worked,';

@ObjectType({
  description:
    'The whole market’s logged hours over the period by where their review stands now (the skill filter does not apply), and their value at the engagements’ rates.',
})
export class MarketHours {
  @Field(() => Int, { description: `${MARKET_HOURS} waiting for the buyer's review.` })
  hoursPending: number;

  @Field(() => Int, {
    description: `${MARKET_HOURS} disputed, until the worker concedes or an admin decides.`,
  })
  hoursDisputed: number;

  @Field(() => Int, {
    description: `${MARKET_HOURS} approved (by the buyer, at the end of the review window or by an admin) and paid.`,
  })
  hoursPaid: number;

  @Field(() => Int, { description: `${MARKET_HOURS} disputed and refunded to the buyer.` })
  hoursRefunded: number;

  @Field(() => CreditsScalar, { description: 'What hoursPending are worth, held in escrow.' })
  creditsPending: number;

  @Field(() => CreditsScalar, { description: 'What hoursDisputed are worth, held in escrow.' })
  creditsDisputed: number;

  @Field(() => CreditsScalar, { description: 'Paid for hoursPaid (TIME_PAYMENT).' })
  creditsPaid: number;

  @Field(() => CreditsScalar, {
    description: 'Refunded to buyers for hoursRefunded (TIME_REFUND).',
  })
  creditsRefunded: number;
}

@ObjectType()
export class MarketStats {
  @Field({ description: 'When these figures were computed (they are refreshed every minute).' })
  asOf: Date;

  @Field(() => MarketHours)
  hours: MarketHours;

  @Field(() => [SkillMarketStats], {
    description: atMost(MAX_MARKET_STATS_SKILLS, 'As many as `first` asks for.'),
  })
  @MaxItems(MAX_MARKET_STATS_SKILLS, { sizeFromParentFirst: true })
  skills: SkillMarketStats[];
}

export enum FunnelStage {
  PROPOSED = 'PROPOSED',
  SUBMITTED = 'SUBMITTED',
  FUNDED = 'FUNDED',
  APPROVED = 'APPROVED',
}
registerEnumType(FunnelStage, { name: 'FunnelStage' });

@ObjectType()
export class FunnelStep {
  @Field(() => FunnelStage)
  stage: FunnelStage;

  @Field(() => Int, { description: 'Ideas that reached this stage.' })
  reached: number;

  @Field(() => Float, {
    nullable: true,
    description: 'reached ÷ reached at the stage before, in percent.',
  })
  conversionPercent: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Median hours ideas spent in this stage before reaching the next (none for APPROVED).',
  })
  medianHoursInStage: number | null;
}

const FUNNEL_STAGES = Object.keys(FunnelStage).length;

@ObjectType({ description: 'How far ideas get: proposed, submitted, funded, approved.' })
export class IdeaFunnel {
  @Field(() => [FunnelStep], { description: atMost(FUNNEL_STAGES, 'One per stage.') })
  @MaxItems(FUNNEL_STAGES)
  steps: FunnelStep[];

  @Field(() => Int)
  rejected: number;

  @Field(() => Int)
  withdrawn: number;
}

@ObjectType({ description: "A team's P&L over the period." })
export class TeamPnl extends PnlFigures {
  @Field()
  name: string;

  @Field(() => CreditsScalar, { description: 'Its balance now.' })
  balance: number;

  teamId: string;
  accountId: string;
  weeks: WeekRange;
}

@ObjectType()
export class TeamPnlReport {
  @Field(() => ResolvedPeriod)
  period: ResolvedPeriod;

  @Field(() => PnlFigures, { description: 'All the teams in the report together.' })
  totals: PnlFigures;

  /** Every team the reader may see, by name (a page of them is the `teams` field). */
  teams: TeamPnl[];

  combinedWeekly: FlowWeek[];
  /** All the teams' hours by review state, by week worked. */
  combinedHoursWeekly: HoursWeek[];
}

@ObjectType()
export class TeamPnlConnection extends Connection(TeamPnl) {}
