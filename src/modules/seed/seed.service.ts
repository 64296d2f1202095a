import { LeaversService } from '../leavers/leavers.service.js';
import { Injectable, Logger } from '@nestjs/common';
import { BudgetService } from '../budget/budget.service.js';
import { EmployeeService } from '../employee/employee.service.js';
import { TeamRole } from '../team/team-role.js';
import { TeamService } from '../team/team.service.js';
import type { Actor } from '../../common/auth/actor.js';
import { AuthService } from '../auth/auth.service.js';
import { CommentSubject } from '../comment/comment.enums.js';
import { CommentService } from '../comment/comment.service.js';
import { SummaryRefreshService } from '../dashboard/summary-refresh.service.js';
import { IdeaFundingService } from '../idea/idea-funding.service.js';
import { IdeaService } from '../idea/idea.service.js';
import type { MetricDirection } from '../initiative/initiative.enums.js';
import { MeasurementService } from '../initiative/measurement.service.js';
import { MembershipService } from '../initiative/membership.service.js';
import { MilestoneService } from '../initiative/milestone.service.js';
import { OutcomeMetricService } from '../initiative/outcome-metric.service.js';
import {
  DEMO_BIDS,
  DEMO_IDEAS,
  DEMO_INITIATIVE,
  DEMO_NEEDS,
  DEMO_PASSWORD,
  DEMO_LEAVERS,
  DEMO_PEOPLE,
  DEMO_TEAMS,
} from './demo-organisation.js';
import { BidService } from '../market/bid.service.js';
import { NeedService } from '../market/need.service.js';
import { MarketSeedService } from './market-seed.service.js';
import { SeedRepository } from './seed.repository.js';

export type SeedOutcome =
  'seeded' | 'skipped: database not empty' | 'skipped: not asked for' | 'refused: production';

/** Seeds the demo organisation through the same services the API uses, so it obeys every rule. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly repository: SeedRepository,
    private readonly teams: TeamService,
    private readonly employees: EmployeeService,
    private readonly budget: BudgetService,
    private readonly needs: NeedService,
    private readonly bids: BidService,
    private readonly market: MarketSeedService,
    private readonly auth: AuthService,
    private readonly ideas: IdeaService,
    private readonly funding: IdeaFundingService,
    private readonly memberships: MembershipService,
    private readonly milestones: MilestoneService,
    private readonly metrics: OutcomeMetricService,
    private readonly measurements: MeasurementService,
    private readonly leavers: LeaversService,
    private readonly comments: CommentService,
    private readonly summaries: SummaryRefreshService,
  ) {}

  /** Seeds only an empty database, never in production. Instances starting together seed once. */
  async seedIfEmpty(nodeEnv: string): Promise<SeedOutcome> {
    if (nodeEnv === 'production') return 'refused: production';
    return this.repository.whileSeedLocked(async (session) => {
      if (!(await this.repository.isEmpty(session))) return 'skipped: database not empty';
      await this.seed();
      return 'seeded';
    });
  }

  private async seed(): Promise<void> {
    const teamIds = new Map<string, string>();
    for (const team of DEMO_TEAMS) {
      const created = await this.teams.create({ name: team.name, purpose: team.purpose }, null);
      teamIds.set(team.name, created.id);
      await this.budget.allocateCredits(
        { teamId: created.id, amount: team.credits, memo: 'Opening budget' },
        null,
      );
    }
    for (const person of DEMO_PEOPLE) {
      const employee = await this.employees.create(
        {
          name: person.name,
          email: person.email,
          title: person.title,
          password: DEMO_PASSWORD,
          homeTeamId: teamIds.get(person.team)!,
          weeklyCapacityHours: person.weeklyCapacityHours ?? 8,
          isAdmin: person.isAdmin ?? false,
          skills: person.skills.map(([name, level]) => ({ name, level })),
        },
        null,
      );
      for (const team of person.leads ?? []) {
        await this.employees.addTeamMember(
          { teamId: teamIds.get(team)!, employeeId: employee.id, role: TeamRole.LEAD },
          null,
        );
      }
      for (const team of person.alsoMemberOf ?? []) {
        await this.employees.addTeamMember(
          { teamId: teamIds.get(team)!, employeeId: employee.id, role: TeamRole.MEMBER },
          null,
        );
      }
    }
    await this.market.seed(teamIds, (email: string) => this.actor(email));
    await this.seedIdeas(teamIds);
    const admin = await this.actor('admin@example.com');
    for (const email of DEMO_LEAVERS) {
      await this.leavers.deactivate({ employeeId: (await this.actor(email)).id }, admin);
    }
    // The market statistics are materialized views: bring them up to date with the demo.
    await this.summaries.refresh();
    this.logger.log(
      `Seeded the demo organisation: ${DEMO_TEAMS.length} teams, ${DEMO_PEOPLE.length} people ` +
        `(${DEMO_LEAVERS.length} of them former employees), ` +
        `${DEMO_NEEDS.length} needs, ${DEMO_BIDS.length} bids, ${DEMO_IDEAS.length} ideas, 1 initiative`,
    );
  }

  /** The actor for a demo person, loaded fresh (roles change as the story unfolds). */
  private async actor(email: string): Promise<Actor> {
    const credentials = await this.employees.findCredentials(email);
    return (await this.auth.loadActor(credentials!.id))!.actor;
  }

  /** "Customer Service for Anything" from idea to a running initiative, and ideas in every other state. */
  private async seedIdeas(teamIds: Map<string, string>): Promise<void> {
    const ideaIds = new Map<string, string>();
    for (const demo of DEMO_IDEAS) {
      const proposer = await this.actor(demo.proposer);
      const idea = await this.ideas.propose(
        {
          title: demo.title,
          problem: demo.problem,
          proposal: demo.proposal,
          expectedOutcomes: demo.expectedOutcomes,
          sponsorTeamId: teamIds.get(demo.sponsor)!,
          fundingGoal: demo.fundingGoal,
          skillsNeeded: demo.skillsNeeded,
          hoursPerWeekNeeded: demo.hoursPerWeekNeeded,
        },
        proposer,
      );
      ideaIds.set(demo.key, idea.id);
      if (demo.stage === 'DRAFT') continue;
      await this.ideas.submit(idea.id, proposer);
      for (const email of demo.endorsedBy ?? []) {
        await this.ideas.endorse({ ideaId: idea.id, endorsed: true }, await this.actor(email));
      }
      for (const [lead, team, amount] of demo.pledges ?? []) {
        await this.funding.pledge(
          { ideaId: idea.id, teamId: teamIds.get(team)!, amount },
          await this.actor(lead),
        );
      }
      for (const [author, body] of demo.comments ?? []) {
        await this.comments.commentOn(
          { subjectType: CommentSubject.IDEA, subjectId: idea.id, body },
          await this.actor(author),
        );
      }
      if (demo.stage === 'APPROVED')
        await this.funding.approve({ ideaId: idea.id }, await this.actor(demo.decidedBy!));
      if (demo.stage === 'REJECTED') {
        await this.funding.reject(
          { ideaId: idea.id, reason: demo.reason! },
          await this.actor(demo.decidedBy!),
        );
      }
      if (demo.stage === 'WITHDRAWN') await this.funding.withdraw({ ideaId: idea.id }, proposer);
    }
    await this.seedInitiative(ideaIds.get(DEMO_INITIATIVE.idea)!);
  }

  private async seedInitiative(ideaId: string): Promise<void> {
    const idea = await this.ideas.findById(ideaId);
    const initiativeId = idea.initiativeId!;
    for (const [email, hoursPerWeek] of DEMO_INITIATIVE.members) {
      await this.memberships.join({ initiativeId, hoursPerWeek }, await this.actor(email));
    }
    const owner = await this.actor(DEMO_INITIATIVE.members[0][0]);
    const people = new Map<string, string>();
    for (const [email] of DEMO_INITIATIVE.members)
      people.set(email, (await this.employees.findCredentials(email))!.id);
    const day = 24 * 60 * 60 * 1000;
    for (const [title, done, dueDaysAgo, assignee] of DEMO_INITIATIVE.milestones) {
      const dueDate = new Date(Date.now() - dueDaysAgo * day).toISOString().slice(0, 10);
      const milestone = await this.milestones.addMilestone(
        { initiativeId, title, dueDate, assigneeId: assignee ? people.get(assignee) : null },
        owner,
      );
      if (done) await this.milestones.completeMilestone(milestone.id, owner);
    }
    // The initiative has only just started (the seed approves its idea now): its readings are
    // dated as they are recorded, in order, never before the start nor ahead of now.
    for (const demo of DEMO_INITIATIVE.metrics) {
      const metric = await this.metrics.defineMetric(
        {
          initiativeId,
          name: demo.name,
          unit: demo.unit,
          baseline: demo.baseline,
          target: demo.target,
          direction: demo.direction as MetricDirection,
          reporterId: people.get(demo.reporter),
        },
        owner,
      );
      const reporter = await this.actor(demo.reporter);
      for (const [week, value] of demo.weekly.entries()) {
        const reading = await this.measurements.recordMeasurement(
          { metricId: metric.id, value },
          reporter,
        );
        const correction = demo.correction?.week === week ? demo.correction : undefined;
        if (correction) {
          await this.measurements.correctMeasurement(
            { measurementId: reading.id, value: correction.value, reason: correction.reason },
            owner,
          );
        }
      }
    }
    const recorder = await this.actor(DEMO_INITIATIVE.members[1][0]);
    const { need: demoNeed } = DEMO_INITIATIVE;
    const need = await this.needs.post(
      {
        buyerInitiativeId: initiativeId,
        title: demoNeed.title,
        description: demoNeed.description,
        hoursPerWeek: demoNeed.hoursPerWeek,
        weeks: demoNeed.weeks,
        ratePerHour: demoNeed.ratePerHour,
        requiredSkills: demoNeed.requiredSkills.map(([name, minLevel]) => ({ name, minLevel })),
      },
      owner,
    );
    await this.bids.place(
      {
        needId: need.id,
        hoursPerWeek: demoNeed.hoursPerWeek,
        ratePerHour: demoNeed.ratePerHour,
        message: 'Scripts are close to what I write for job ads: short and warm.',
        skills: ['Copywriting'],
      },
      await this.actor(demoNeed.bidder),
    );
    await this.comments.commentOn(
      {
        subjectType: CommentSubject.INITIATIVE,
        subjectId: initiativeId,
        body: 'Week six: a caller asked us to help plan a surprise party. We did.',
      },
      recorder,
    );
  }
}
