import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, MAX_PAGE_SIZE } from '../../../common/graphql/connection.js';
import type { WeekRange } from '../../../common/graphql/date-range.js';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { atMost, MaxItems } from '../../../common/graphql/list-limits.js';
import { PnlFigures, ResolvedPeriod } from '../../budget/budget.models.js';
import { SPARKLINE_POINTS } from '../../initiative/initiative-limits.js';
import { InitiativeStatus, MetricDirection } from '../../initiative/initiative.enums.js';
import type { FlowWeek } from '../../ledger/account-flow.service.js';
import { MAX_MARKET_STATS_SKILLS } from '../dto/dashboard.inputs.js';

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
    description: 'The mean outcome score of the initiatives that have one.',
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

  @Field(() => Float, { nullable: true })
  latest: number | null;

  @Field(() => Float)
  target: number;

  @Field(() => Float, {
    nullable: true,
    description: '0–100 from baseline to target; null before a measurement.',
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

  @Field(() => Int, { description: 'Hours a week its current members give it.' })
  hoursCommittedPerWeek: number;

  @Field(() => Int, { description: 'Hours logged on its needs.' })
  hoursLogged: number;

  @Field(() => Int, { description: 'People who have been members, the owner included.' })
  memberCount: number;

  @Field(() => Int)
  milestonesDone: number;

  @Field(() => Int)
  milestonesTotal: number;

  @Field(() => Float, { nullable: true })
  milestoneProgressPercent: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'The mean progressPercent of its metrics that have a measurement; null without any.',
  })
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

  @Field(() => InitiativeOutcomeConnection, {
    description: atMost(MAX_PAGE_SIZE, 'The page `first` asks for.'),
  })
  @MaxItems(MAX_PAGE_SIZE, { sizeFromParentFirst: true })
  initiatives: InitiativeOutcomeConnection;
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

@ObjectType()
export class MarketStats {
  @Field({ description: 'When these figures were computed (they are refreshed every minute).' })
  asOf: Date;

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
}

@ObjectType()
export class TeamPnlConnection extends Connection(TeamPnl) {}
