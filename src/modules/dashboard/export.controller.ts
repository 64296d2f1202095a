import { Controller, Get, Query, Req, Res, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/access.guard.js';
import { DomainError, unauthenticated } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { RateLimits } from '../../common/rate-limit/rate-limits.js';
import { ReadOnlyRequest } from '../../common/read-routing/read-only-request.interceptor.js';
import { toCsv } from './csv.js';
import { ExportOutcomesQuery, ExportPnlQuery } from './dto/export.query.js';
import { InitiativeOutcomesService } from './initiative-outcomes.service.js';
import { TeamPnlService } from './team-pnl.service.js';
import { InitiativeService } from '../initiative/initiative.service.js';
import { metricProgressPercent } from '../initiative/metric-progress.js';
import { TeamService } from '../team/team.service.js';
import { RequestLoaders } from '../../common/graphql/request-loaders.js';

/** The most rows one export holds (README, "Dashboards"); more matching is refused, never cut. */
export const MAX_EXPORT_ROWS = 10_000;
const PAGE = 100;

/** Headers for a CSV download, set once it is ready: a refusal stays a JSON error. */
function asCsvFile(response: Response, filename: string): void {
  response.attachment(filename).type('text/csv; charset=utf-8');
}

/**
 * CSV downloads for spreadsheets, behind the same bearer token and rules as the GraphQL API:
 * GET /export/initiative-outcomes.csv and GET /export/team-pnl.csv.
 */
@Controller('export')
// Exports only read: their figures may come from the read replica (README, "Read replica").
@UseInterceptors(ReadOnlyRequest)
export class ExportController {
  constructor(
    private readonly outcomes: InitiativeOutcomesService,
    private readonly pnl: TeamPnlService,
    private readonly initiatives: InitiativeService,
    private readonly teams: TeamService,
    private readonly rateLimits: RateLimits,
  ) {}

  @Get('initiative-outcomes.csv')
  async initiativeOutcomes(
    @Query() query: ExportOutcomesQuery,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const filter = {
      status: query.status,
      sponsorTeamId: query.sponsorTeamId,
      fundedByTeamId: query.fundedByTeamId,
      startedIn: { from: query.from, to: query.to },
    };
    const rows: Record<string, unknown>[] = [];
    const loaders = new RequestLoaders();
    let after: string | undefined;
    do {
      // The rate-limit guard counted the request, so its first page; each further page read
      // counts as one more call, so that a big export costs what paging the API would.
      if (after && request.rateLimitSubject) {
        await this.rateLimits.countEmployee(request.rateLimitSubject);
      }
      const page = await this.outcomes.outcomes(filter, query.sort, PAGE, after);
      if (page.totals.initiativeCount > MAX_EXPORT_ROWS) {
        // No one parameter is at fault: any of the filters narrows it.
        throw new DomainError(
          ErrorCode.BAD_USER_INPUT,
          `${page.totals.initiativeCount} initiatives match, more than the ${MAX_EXPORT_ROWS} an export holds: ` +
            'narrow it with status, sponsorTeamId, fundedByTeamId, from or to',
        );
      }
      const metrics = await loaders
        .get(this.initiatives.metrics)
        .loadMany(page.initiatives.nodes.map((o) => o.initiativeId));
      const teamIds = [
        ...new Set(page.initiatives.nodes.flatMap((o) => [o.sponsorTeamId, ...o.memberTeamIds])),
      ];
      const teams = new Map(
        (await loaders.get(this.teams.byId).loadMany(teamIds)).flatMap((t) =>
          t && !(t instanceof Error) ? [[t.id, t.name]] : [],
        ),
      );
      page.initiatives.nodes.forEach((o, i) => {
        const own = metrics[i] instanceof Error ? [] : metrics[i];
        rows.push({
          initiative: o.title,
          status: o.status,
          started: o.startedAt.toISOString().slice(0, 10),
          sponsor_team: teams.get(o.sponsorTeamId),
          budget: o.budget,
          spent: o.spent,
          remaining: o.remaining,
          hours_committed_per_week: o.hoursCommittedPerWeek,
          hours_logged: o.hoursLogged,
          members: o.memberCount,
          member_teams: o.memberTeamIds.map((id) => teams.get(id)).join('; '),
          milestones_done: o.milestonesDone,
          milestones_total: o.milestonesTotal,
          milestone_progress_percent: o.milestoneProgressPercent ?? '',
          outcome_score: o.outcomeScore ?? '',
          metrics: own
            .map(
              (m) =>
                `${m.name}: ${m.latestValue ?? '-'} of ${m.target} (${metricProgressPercent(m, m.latestValue) ?? '-'} %)`,
            )
            .join('; '),
        });
      });
      after = page.initiatives.pageInfo.hasNextPage
        ? (page.initiatives.pageInfo.endCursor ?? undefined)
        : undefined;
    } while (after && rows.length < MAX_EXPORT_ROWS);
    asCsvFile(response, 'initiative-outcomes.csv');
    return toCsv(rows, OUTCOME_COLUMNS);
  }

  @Get('team-pnl.csv')
  async teamPnl(
    @Query() query: ExportPnlQuery,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    if (!request.actor) throw unauthenticated();
    const report = await this.pnl.report(request.actor, { from: query.from, to: query.to });
    const rows = report.teams.map((team) => ({
      team: team.name,
      period_from: report.period.from ?? '',
      period_to: report.period.to ?? '',
      allocated: team.allocated,
      earned: team.earned,
      spent: team.spent,
      pledged: team.pledged,
      refunded: team.refunded,
      net: team.net,
      balance_now: team.balance,
      hours_pending: team.hoursPending,
      hours_disputed: team.hoursDisputed,
      hours_paid: team.hoursPaid,
      hours_refunded: team.hoursRefunded,
      hours_bought_under_review: team.hoursBoughtUnderReview,
    }));
    asCsvFile(response, 'team-pnl.csv');
    return toCsv(rows, PNL_COLUMNS);
  }
}

const OUTCOME_COLUMNS = [
  'initiative',
  'status',
  'started',
  'sponsor_team',
  'budget',
  'spent',
  'remaining',
  'hours_committed_per_week',
  'hours_logged',
  'members',
  'member_teams',
  'milestones_done',
  'milestones_total',
  'milestone_progress_percent',
  'outcome_score',
  'metrics',
];

const PNL_COLUMNS = [
  'team',
  'period_from',
  'period_to',
  'allocated',
  'earned',
  'spent',
  'pledged',
  'refunded',
  'net',
  'balance_now',
  // Hours by the ISO week worked and where their review stands (see PnlFigures): after the
  // credits, so that spreadsheets reading columns by position keep working.
  'hours_pending',
  'hours_disputed',
  'hours_paid',
  'hours_refunded',
  'hours_bought_under_review',
];
