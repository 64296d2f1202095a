import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../setup/test-database.js';
import { findViolations } from '../../src/database/invariants.js';
import type { TeamEntity } from '../../src/modules/team/team.entity.js';
import { Workforce, type Move, type Worker } from './bank-people.js';
import { TEST_PASSWORD, type Factory, type Person } from './factories.js';
import type { Ideas } from './ideas.js';
import { TEST_JWT_SECRET } from './test-app.js';

/**
 * A Jepsen-style bank test: two service instances on one PostgreSQL, many concurrent clients
 * doing random money and capacity operations, a chaos loop killing database backends and
 * restarting instances with SIGKILL, and a checker reading every invariant over and over.
 * Admins deactivate, reactivate and move workers meanwhile (issue 14): nobody may act once their
 * deactivation is acknowledged, and hours are paid to the home team of their moment.
 */
export interface BankOptions {
  seconds: number;
  clients: number;
  /** Milliseconds between backend kills, and between instance restarts. */
  killEveryMs: number;
  restartEveryMs: number;
  /**
   * Runs the timesheets' sweep (automatic approval of weeks whose review window ended) against
   * the bank's database, however the caller can: through the job queue or in process.
   */
  sweep: () => Promise<unknown>;
  /** Milliseconds between ends of a review window (and sweeps). */
  reviewWindowEveryMs: number;
  /**
   * Operations (byOperation names, or `autoApprove`) the run must have committed at least once:
   * it goes on past `seconds`, chaos and all, until each has, or until `maxSeconds`. A slow
   * machine then runs longer instead of ending before a chain (a dispute, say) got its turn.
   */
  mustCommit?: string[];
  maxSeconds?: number;
}

export interface BankReport {
  seconds: number;
  clients: number;
  attempted: number;
  committed: number;
  refusedByRule: number;
  /** Requests refused UNAUTHENTICATED because their sender had been deactivated meanwhile. */
  refusedAsDeactivated: number;
  failedByFault: number;
  retried: number;
  backendsKilled: number;
  instanceRestarts: number;
  invariantChecks: number;
  /** Review windows the test ended (see `reviewWindows`), and sweeps run. */
  reviewWindowsEnded: number;
  sweeps: number;
  /** Time logs whose payee was checked against the moves clients saw around them. */
  payeesChecked: number;
  violations: string[];
  /** Per operation; `refused` counts its answers by code (a rule's, or UNAUTHENTICATED). */
  byOperation: Record<
    string,
    { attempted: number; committed: number; refused?: Record<string, number> }
  >;
}

const MAIN = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));
const APP_NAME = 'mbd-bank';
/** Answers that mean the rules said no: expected under contention, never a fault. */
const RULE_CODES = new Set([
  'INSUFFICIENT_FUNDS',
  'CAPACITY_EXCEEDED',
  'CONFLICT',
  'INVALID_TRANSITION',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'FORBIDDEN',
]);

const pick = <T>(items: readonly T[]): T | undefined =>
  items.length ? items[randomInt(items.length)] : undefined;
const today = () => new Date().toISOString().slice(0, 10);

/** Whether a child process has ended (killed by a signal, it has a signalCode, no exitCode). */
const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** One service instance as a child process, restartable on the same port. */
class Instance {
  child?: ChildProcess;
  up = false;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly databaseUrl: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: this.databaseUrl,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'error',
        DASHBOARD_REFRESH_SECONDS: '0',
        RATE_LIMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_IP_PER_MINUTE: '1000000',
        // Lets the chaos loop find this instance's connections, and only them.
        DB_APPLICATION_NAME: `${APP_NAME}-${this.name}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (exited(child)) {
        throw new Error(`instance ${this.name} exited while starting:\n${output}`);
      }
      const healthy = await fetch(`http://127.0.0.1:${this.port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (healthy) {
        this.up = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`instance ${this.name} did not become healthy`);
  }

  /** SIGKILL: no graceful shutdown, in-flight requests are cut off mid-way. */
  async kill(): Promise<void> {
    this.up = false;
    const child = this.child;
    if (!child || exited(child)) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }
}

interface Op {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** The sender's bearer token; empty to send none (sign-in). */
  token: string;
  /** Retried with the same arguments after a fault (the operation is idempotent). */
  idempotent: boolean;
  /** Sent by someone deactivated on purpose: it must be refused, so it never counts as rare. */
  refusalExpected?: boolean;
  /** Just before the first attempt is sent (what a made but unsent operation must not do). */
  onSend?: () => void;
  /** With when the first attempt was sent and the committing one answered. */
  onSuccess?: (data: any, timing: { sentAt: number; answeredAt: number }) => void;
  /** Refused by a rule, with its code. */
  onRefused?: (code: string) => void;
  /** Given up after faults: whether it committed is unknown. */
  onFault?: () => void;
}

/** The world the clients know: stale at times, which is the point (the server decides). */
interface Known {
  openNeeds: { id: string; team: TeamEntity; ratePerHour: number }[];
  pendingBids: { id: string; team: TeamEntity }[];
  engagements: { id: string; worker: Person; lead: Person }[];
  /**
   * Weeks with hours logged, with who reviews them (the buyer's lead) and who worked, and
   * whether a client last saw hours pending in them (reviews pick those, stale or not).
   */
  /**
   * Weeks seen; `reviewEnded` once the test has ended the week's review window: its buyer
   * then lets it be (as a buyer who did not look in time), so that the sweep is what pays it.
   */
  timesheets: {
    id: string;
    worker: Person;
    lead: Person;
    pending: boolean;
    reviewEnded?: boolean;
  }[];
  /** Disputes opened, with the worker who answers them, as clients last saw them. */
  /** ANSWERING: the worker's answer is on its way (nobody else answers for them meanwhile). */
  disputes: {
    id: string;
    worker: Person;
    status: 'OPEN' | 'ANSWERING' | 'CONTESTED' | 'SETTLED';
  }[];
  /** With their goal and what clients saw pledged, so some pledges fill them exactly. */
  submittedIdeas: {
    id: string;
    sponsor: TeamEntity;
    goal: number;
    pledged: number;
    proposer: Person;
  }[];
  /** With their owner, their metric once defined, and the readings clients saw recorded. */
  initiatives: {
    id: string;
    sponsor: TeamEntity;
    owner: Person;
    metricId?: string;
    readings: string[];
    /** Built before the run and never cancelled, so that readings always have somewhere to go. */
    kept?: boolean;
  }[];
  /** memo → whether a client saw it succeed. */
  allocations: Map<string, boolean>;
  /** Rows that a successful answer reported: they must all exist at the end. */
  created: { table: string; id: string }[];
}

interface Cast {
  admin: Person;
  teams: { team: TeamEntity; lead: Person; members: Person[] }[];
  initiatives: Known['initiatives'];
}

export async function buildCast(factory: Factory, ideas: Ideas): Promise<Cast> {
  const admin = await factory.admin();
  const teams = [];
  for (let i = 0; i < 8; i++) {
    const team = await factory.team({ credits: 20_000 });
    const lead = await factory.person({ team, leads: [team] });
    const members = [];
    for (let j = 0; j < 3; j++)
      members.push(await factory.person({ team, weeklyCapacityHours: 6 }));
    teams.push({ team, lead, members });
  }
  // An initiative with a metric and a reading, kept for the whole run.
  const [home, funder] = teams;
  const owner = home.members[0];
  const id = await ideas.initiative(owner, home.team, home.lead, [
    { lead: funder.lead, team: funder.team, amount: 1_000 },
  ]);
  const defined = await ideas.sut.gql(
    `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "Calls", unit: "calls", baseline: 0, target: 100, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
    { id },
    owner.token,
  );
  const metricId = defined.data!.defineOutcomeMetric.metric.id as string;
  const recorded = await ideas.sut.gql(
    `mutation($id: ID!) { recordMeasurement(input: { metricId: $id, value: 10 }) { measurement { id } } }`,
    { id: metricId },
    owner.token,
  );
  const reading = recorded.data!.recordMeasurement.measurement.id as string;
  return {
    admin,
    teams,
    initiatives: [{ id, sponsor: home.team, owner, metricId, readings: [reading], kept: true }],
  };
}

export async function runBank(
  databaseUrl: string,
  cast: Cast,
  options: BankOptions,
): Promise<BankReport> {
  const report: BankReport = {
    seconds: options.seconds,
    clients: options.clients,
    attempted: 0,
    committed: 0,
    refusedByRule: 0,
    refusedAsDeactivated: 0,
    failedByFault: 0,
    retried: 0,
    backendsKilled: 0,
    instanceRestarts: 0,
    invariantChecks: 0,
    reviewWindowsEnded: 0,
    sweeps: 0,
    payeesChecked: 0,
    violations: [],
    byOperation: {},
  };
  const known: Known = {
    openNeeds: [],
    pendingBids: [],
    engagements: [],
    timesheets: [],
    disputes: [],
    submittedIdeas: [],
    initiatives: [...cast.initiatives],
    allocations: new Map(),
    created: [],
  };
  const workforce = new Workforce(cast.teams);
  const instances = [
    new Instance('a', await freePort(), databaseUrl),
    new Instance('b', await freePort(), databaseUrl),
  ];
  await Promise.all(instances.map((instance) => instance.start()));
  // One connection for the checker's snapshots, one for the chaos loop: never interleaved.
  const checkerDb = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'bank-checker',
  });
  const chaosDb = new pg.Client({ connectionString: databaseUrl, application_name: 'bank-chaos' });
  const clockDb = new pg.Client({ connectionString: databaseUrl, application_name: 'bank-clock' });
  await Promise.all([checkerDb.connect(), chaosDb.connect(), clockDb.connect()]);
  const started = Date.now();
  const until = started + options.seconds * 1000;
  const hardUntil = started + Math.max(options.seconds, options.maxSeconds ?? 0) * 1000;
  const followUps: Promise<void>[] = [];
  let aborted = false;
  /** Whether the sweep has approved a week automatically (read after each sweep). */
  let autoApproved = false;
  const stillToCommit = () =>
    (options.mustCommit ?? []).some((name) =>
      name === 'autoApprove' ? !autoApproved : !report.byOperation[name]?.committed,
    );
  const running = () =>
    !aborted && (Date.now() < until || (Date.now() < hardUntil && stillToCommit()));

  type Outcome = 'committed' | 'refused' | 'unauthenticated' | 'fault';
  async function send(op: Op): Promise<{ outcome: Outcome; code?: string; data?: any }> {
    const instance = pick(instances.filter((i) => i.up)) ?? instances[0];
    const sentAt = Date.now();
    // A client saw the sender deactivated before this request left: it must not act.
    const endedAt = workforce.endedAt(op.token);
    const afterDeactivation = endedAt !== undefined && sentAt > endedAt;
    let body: { data?: any; errors?: { extensions?: { code?: string } }[] };
    try {
      const response = await fetch(instance.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(op.token ? { authorization: `Bearer ${op.token}` } : {}),
        },
        body: JSON.stringify({ query: op.query, variables: op.variables }),
        signal: AbortSignal.timeout(15_000),
      });
      body = (await response.json()) as typeof body;
    } catch {
      return { outcome: 'fault' }; // connection refused or cut: the instance was killed mid-request
    }
    if (!body.errors?.length) {
      if (afterDeactivation) {
        report.violations.push(
          `${op.name} committed for someone deactivated ${sentAt - endedAt}ms before it was sent`,
        );
      }
      return { outcome: 'committed', data: body.data };
    }
    const code = body.errors[0].extensions?.code ?? '';
    if (code === 'UNAUTHENTICATED') {
      if (workforce.mayBeEnded(op.token)) return { outcome: 'unauthenticated' };
      report.violations.push(`${op.name} refused UNAUTHENTICATED with a token nobody ended`);
      return { outcome: 'refused', code };
    }
    if (afterDeactivation) {
      report.violations.push(
        `${op.name} answered ${code || 'an error'}, not UNAUTHENTICATED, for someone deactivated before it was sent`,
      );
    }
    return RULE_CODES.has(code) ? { outcome: 'refused', code } : { outcome: 'fault' };
  }

  async function attempt(op: Op): Promise<void> {
    report.attempted++;
    const stats = (report.byOperation[op.name] ??= { attempted: 0, committed: 0 });
    stats.attempted++;
    op.onSend?.();
    const sentAt = Date.now();
    for (let tries = 1; ; tries++) {
      const { outcome, code, data } = await send(op);
      if (outcome === 'committed') {
        report.committed++;
        stats.committed++;
        op.onSuccess?.(data, { sentAt, answeredAt: Date.now() });
        return;
      }
      if (outcome === 'unauthenticated') {
        report.refusedAsDeactivated++;
        stats.refused = {
          ...stats.refused,
          UNAUTHENTICATED: (stats.refused?.UNAUTHENTICATED ?? 0) + 1,
        };
        return;
      }
      if (outcome === 'refused') {
        report.refusedByRule++;
        stats.refused = { ...stats.refused, [code!]: (stats.refused?.[code!] ?? 0) + 1 };
        op.onRefused?.(code!);
        return;
      }
      report.failedByFault++;
      if (!op.idempotent || tries >= 8) {
        op.onFault?.();
        return;
      }
      report.retried++;
      await new Promise((resolve) => setTimeout(resolve, 20 * tries));
    }
  }

  type KnownDispute = Known['disputes'][number];
  /** The worker concedes: the disputed hours go back to the buyer. */
  const acceptDispute = (dispute: KnownDispute): Op => ({
    name: 'acceptDispute',
    query: `mutation($input: AcceptDisputeInput!) { acceptDispute(input: $input) { transfers { id } } }`,
    variables: { input: { disputeId: dispute.id, idempotencyKey: randomUUID() } },
    token: dispute.worker.token,
    idempotent: true,
    onSuccess: () => (dispute.status = 'SETTLED'),
  });
  /** An admin who is neither side decides a contested dispute: pay or refund. */
  const resolveDispute = (dispute: KnownDispute): Op => ({
    name: 'resolveDispute',
    query: `mutation($input: ResolveDisputeInput!) { resolveDispute(input: $input) { transfers { id } } }`,
    variables: {
      input: {
        disputeId: dispute.id,
        decision: randomInt(2) === 0 ? 'PAY' : 'REFUND',
        note: 'Bank decision',
        idempotencyKey: randomUUID(),
      },
    },
    // The admin leads no team and works on nothing: never a side of a dispute.
    token: cast.admin.token,
    idempotent: true,
    onSuccess: () => (dispute.status = 'SETTLED'),
  });
  /** The worker contests: an admin who is neither side will decide. */
  const contestDispute = (dispute: KnownDispute): Op => ({
    name: 'contestDispute',
    query: `mutation($input: ContestDisputeInput!) { contestDispute(input: $input) { id } }`,
    variables: { input: { disputeId: dispute.id, reason: 'Bank work was done' } },
    token: dispute.worker.token,
    // It takes no idempotency key: a retry after a fault whose first attempt committed
    // is refused (INVALID_TRANSITION), which is still a correct answer.
    idempotent: true,
    onSuccess: () => {
      dispute.status = 'CONTESTED';
      // An admin decides at once (awaited before the final reckoning).
      followUps.push(attempt(resolveDispute(dispute)));
    },
  });

  /** The buying lead disputes a week's hours (all of them). */
  const disputeWeek = (week: Known['timesheets'][number]): Op => ({
    name: 'disputeTimesheet',
    query: `mutation($input: DisputeTimesheetInput!) { disputeTimesheet(input: $input) { dispute { id } } }`,
    variables: {
      input: { timesheetId: week.id, reason: 'Bank dispute', idempotencyKey: randomUUID() },
    },
    token: week.lead.token,
    idempotent: true,
    onSuccess: (data) => {
      week.pending = false;
      const dispute: KnownDispute = {
        id: data.disputeTimesheet.dispute.id,
        worker: week.worker,
        status: 'ANSWERING',
      };
      known.disputes.push(dispute);
      // The worker answers at once (awaited before the final reckoning): contesting until a
      // contest has been decided, then conceding until a concession went through, then either,
      // so that every step of the chain runs even when disputes are rare. Nobody else answers
      // meanwhile: a concession racing the worker's own contest would leave the admin nothing.
      const done = (name: string) => !!report.byOperation[name]?.committed;
      const answer = !done('resolveDispute')
        ? contestDispute(dispute)
        : !done('acceptDispute') || randomInt(2) === 0
          ? acceptDispute(dispute)
          : contestDispute(dispute);
      const reopen = () => {
        if (dispute.status === 'ANSWERING') dispute.status = 'OPEN';
      };
      followUps.push(attempt({ ...answer, onRefused: reopen, onFault: reopen }));
      known.created.push({
        table: 'timesheet_dispute',
        id: data.disputeTimesheet.dispute.id,
      });
    },
  });

  const teamOf = () => pick(cast.teams)!;
  type KnownNeed = Known['openNeeds'][number];
  const placeBid = (need: KnownNeed, bidder: Person): Op => ({
    name: 'placeBid',
    query: `mutation($input: PlaceBidInput!) { placeBid(input: $input) { bid { id } } }`,
    variables: {
      input: {
        needId: need.id,
        hoursPerWeek: randomInt(1, 3),
        // At most the need's rate (its ceiling): randomInt's upper bound is exclusive.
        ratePerHour: randomInt(5, need.ratePerHour + 1),
        message: 'Bank bid',
        skills: [],
      },
    },
    token: bidder.token,
    idempotent: false,
    onSuccess: (data) => {
      known.pendingBids.push({ id: data.placeBid.bid.id, team: need.team });
      known.created.push({ table: 'bid', id: data.placeBid.bid.id });
    },
  });

  type KnownEngagement = Known['engagements'][number];
  // Today (real clock): one week per engagement here, so its weekly limit (1 to 3 hours) soon
  // refuses more, by rule.
  const logTime = (engagement: KnownEngagement): Op => ({
    name: 'logTime',
    query: `mutation($input: LogTimeInput!) { logTime(input: $input) { timeLog { id } engagement { timesheets { id } } } }`,
    variables: {
      input: {
        engagementId: engagement.id,
        hours: randomInt(1, 4),
        date: today(),
        note: 'Bank work',
        idempotencyKey: randomUUID(),
      },
    },
    token: engagement.worker.token,
    idempotent: true,
    onSuccess: (data, { sentAt, answeredAt }) => {
      const id = data.logTime.timeLog.id as string;
      known.created.push({ table: 'time_log', id });
      const worker = workforce.of(engagement.worker);
      if (worker) workforce.logs.push({ id, worker, sentAt, answeredAt });
      // Today's week is the one just logged in: the newest.
      const weeks = data.logTime.engagement.timesheets as { id: string }[];
      const week = weeks[weeks.length - 1].id;
      let seen = known.timesheets.find((t) => t.id === week);
      if (seen) seen.pending = true;
      else {
        seen = { id: week, worker: engagement.worker, lead: engagement.lead, pending: true };
        known.timesheets.push(seen);
        known.created.push({ table: 'timesheet', id: week });
      }
      // Until every step of the dispute chain has run, the buyer disputes a fresh week now and
      // then, while it is surely still under review (awaited before the final reckoning).
      const chain = ['disputeTimesheet', 'contestDispute', 'resolveDispute', 'acceptDispute'];
      if (
        !seen.reviewEnded &&
        chain.some((name) => !report.byOperation[name]?.committed) &&
        randomInt(3) === 0
      ) {
        followUps.push(attempt(disputeWeek(seen)));
      }
    },
  });

  const proposeIdea = (proposer: Person): Op => {
    const sponsor = teamOf();
    const goal = randomInt(100, 2_000);
    return {
      name: 'proposeIdea',
      query: `mutation($input: ProposeIdeaInput!) { proposeIdea(input: $input) { idea { id } } }`,
      variables: {
        input: {
          title: `Bank idea ${randomUUID().slice(0, 8)}`,
          problem: 'Money moves',
          proposal: 'Move it',
          expectedOutcomes: 'Balance',
          sponsorTeamId: sponsor.team.id,
          fundingGoal: goal,
          skillsNeeded: [],
        },
      },
      token: proposer.token,
      idempotent: false,
      onSuccess: (data) => {
        const id = data.proposeIdea.idea.id as string;
        known.created.push({ table: 'idea', id });
        // Submitted straight away, by its proposer (awaited before the final reckoning).
        followUps.push(
          attempt({
            name: 'submitIdea',
            query: `mutation($input: IdeaRefInput!) { submitIdea(input: $input) { idea { id } } }`,
            variables: { input: { ideaId: id } },
            token: proposer.token,
            idempotent: true,
            onSuccess: () =>
              known.submittedIdeas.push({
                id,
                sponsor: sponsor.team,
                goal,
                pledged: 0,
                proposer,
              }),
          }),
        );
      },
    };
  };

  /** Something the worker might do now: bid, log hours or propose an idea. */
  const workOf = (worker: Worker): Op | undefined => {
    const need = pick(known.openNeeds.filter((n) => !worker.teams.has(n.team.id)));
    const engagement = pick(known.engagements.filter((e) => e.worker === worker.person));
    const options = [
      need && placeBid(need, worker.person),
      engagement && logTime(engagement),
      proposeIdea(worker.person),
    ].filter((op): op is Op => op !== undefined);
    return pick(options);
  };

  const leadOf = (teamId: string) => cast.teams.find((t) => t.team.id === teamId)!.lead;

  /**
   * An admin deactivates a worker (never a lead: the leads buy, review and take initiatives over).
   * At the same moment the worker sends some work of their own, which races the deactivation.
   */
  const deactivate = (worker: Worker): Op => ({
    name: 'deactivateEmployee',
    query: `mutation($input: DeactivateEmployeeInput!) { deactivateEmployee(input: $input) { employee { id } } }`,
    variables: { input: { employeeId: worker.person.employee.id } },
    token: cast.admin.token,
    // A retry after a committed first attempt is refused INVALID_TRANSITION: deactivated already.
    idempotent: true,
    onSend: () => {
      workforce.leaving(worker);
      for (let i = 0; i < 2; i++) {
        const work = workOf(worker);
        if (work) followUps.push(attempt(work));
      }
    },
    onSuccess: () => left(worker),
    onRefused: (code) => (code === 'INVALID_TRANSITION' ? left(worker) : workforce.stayed(worker)),
    // Perhaps deactivated: the worker stays away until a reactivation (a no-op if not) and a sign-in.
    onFault: () => (worker.standing = 'gone'),
  });

  /** What the deactivation did, as clients model it: initiatives handed over, engagements ended. */
  function left(worker: Worker): void {
    workforce.left(worker);
    for (const initiative of known.initiatives) {
      // To a lead of the sponsor team, by default (the cast's teams have one lead each).
      if (initiative.owner === worker.person) initiative.owner = leadOf(initiative.sponsor.id);
    }
    known.engagements = known.engagements.filter((e) => e.worker !== worker.person);
  }

  const signIn = (worker: Worker): Op => ({
    name: 'signIn',
    query: `mutation($input: LoginInput!) { login(input: $input) { token } }`,
    variables: { input: { email: worker.person.employee.email, password: TEST_PASSWORD } },
    token: '',
    idempotent: true,
    onSuccess: (data) => {
      // Tokens issued before the deactivation stay dead: the worker acts with this one.
      worker.person.token = data.login.token;
      worker.standing = 'active';
    },
    onRefused: () => (worker.standing = 'gone'),
    onFault: () => (worker.standing = 'gone'),
  });

  const operations: [number, () => Op | undefined][] = [
    [
      8,
      () => {
        const { team } = teamOf();
        const memo = randomUUID();
        known.allocations.set(memo, false);
        return {
          name: 'allocateCredits',
          query: `mutation($input: AllocateCreditsInput!) { allocateCredits(input: $input) { transfer { id } } }`,
          variables: {
            input: { teamId: team.id, amount: randomInt(1, 500), memo, idempotencyKey: memo },
          },
          token: cast.admin.token,
          idempotent: true,
          onSuccess: (data) => {
            known.allocations.set(memo, true);
            known.created.push({ table: 'transfer', id: data.allocateCredits.transfer.id });
          },
        };
      },
    ],
    [
      10,
      () => {
        const { team, lead } = teamOf();
        const ratePerHour = randomInt(5, 60);
        return {
          name: 'postNeed',
          query: `mutation($input: PostNeedInput!) { postNeed(input: $input) { need { id } } }`,
          variables: {
            input: {
              buyerTeamId: team.id,
              title: 'Bank need',
              description: '',
              hoursPerWeek: randomInt(1, 4),
              weeks: randomInt(1, 3),
              ratePerHour,
              requiredSkills: [],
            },
          },
          token: lead.token,
          idempotent: false,
          onSuccess: (data) => {
            known.openNeeds.push({ id: data.postNeed.need.id, team, ratePerHour });
            known.created.push({ table: 'need', id: data.postNeed.need.id });
          },
        };
      },
    ],
    [
      20,
      () => {
        const need = pick(known.openNeeds);
        const bidder = need && pick(workforce.active().filter((w) => !w.teams.has(need.team.id)));
        return need && bidder && placeBid(need, bidder.person);
      },
    ],
    [
      15,
      () => {
        const bid = pick(known.pendingBids);
        if (!bid) return undefined;
        const lead = cast.teams.find((t) => t.team.id === bid.team.id)!.lead;
        return {
          name: 'acceptBid',
          query: `mutation($input: AcceptBidInput!) { acceptBid(input: $input) { engagement { id employee { id } } } }`,
          variables: { input: { bidId: bid.id, idempotencyKey: randomUUID() } },
          token: lead.token,
          idempotent: true,
          onSuccess: (data) => {
            const engagement = data.acceptBid.engagement;
            const worker = cast.teams
              .flatMap((t) => t.members)
              .find((m) => m.employee.id === engagement.employee.id)!;
            known.engagements.push({ id: engagement.id, worker, lead });
            known.created.push({ table: 'engagement', id: engagement.id });
          },
        };
      },
    ],
    [
      15,
      () => {
        const engagement = pick(known.engagements);
        return engagement && logTime(engagement);
      },
    ],
    [
      6,
      () => {
        const week = pick(known.timesheets.filter((t) => t.pending && !t.reviewEnded));
        if (!week) return undefined;
        return {
          name: 'approveTimesheet',
          query: `mutation($input: ApproveTimesheetInput!) { approveTimesheet(input: $input) { payments { id } } }`,
          variables: { input: { timesheetId: week.id, idempotencyKey: randomUUID() } },
          token: week.lead.token,
          idempotent: true,
          onSuccess: () => (week.pending = false),
        };
      },
    ],
    [
      6,
      () => {
        // A leaver's hours are still reviewed, but a dispute waits for its worker's answer:
        // weeks of active workers first, so that the chain to an admin's decision goes on.
        const pending = known.timesheets.filter((t) => t.pending && !t.reviewEnded);
        const answerable = pending.filter((t) => workforce.of(t.worker)?.standing === 'active');
        const week = pick(answerable.length ? answerable : pending);
        if (!week) return undefined;
        return disputeWeek(week);
      },
    ],
    // Answers to disputes, at random besides the answer each dispute gets at once: they race.
    [
      2,
      () => {
        const dispute = pick(known.disputes.filter((d) => d.status === 'OPEN'));
        return dispute && acceptDispute(dispute);
      },
    ],
    [
      2,
      () => {
        const dispute = pick(known.disputes.filter((d) => d.status === 'OPEN'));
        return dispute && contestDispute(dispute);
      },
    ],
    [
      2,
      () => {
        const dispute = pick(known.disputes.filter((d) => d.status === 'CONTESTED'));
        return dispute && resolveDispute(dispute);
      },
    ],
    [
      3,
      () => {
        const need = pick(known.openNeeds);
        if (!need) return undefined;
        const lead = cast.teams.find((t) => t.team.id === need.team.id)!.lead;
        return {
          name: 'closeNeed',
          query: `mutation($input: CloseNeedInput!) { closeNeed(input: $input) { need { id } } }`,
          variables: { input: { needId: need.id, idempotencyKey: randomUUID() } },
          token: lead.token,
          idempotent: true,
        };
      },
    ],
    [
      5,
      () => {
        const proposer = pick(workforce.active());
        return proposer && proposeIdea(proposer.person);
      },
    ],
    [
      12,
      () => {
        const idea = pick(known.submittedIdeas);
        const funder = teamOf();
        if (!idea) return undefined;
        // Half the time exactly what is missing (as far as clients know), else a random amount.
        const missing = idea.goal - idea.pledged;
        const amount = randomInt(2) === 0 && missing > 0 ? missing : randomInt(50, 800);
        return {
          name: 'pledgeToIdea',
          query: `mutation($input: PledgeToIdeaInput!) { pledgeToIdea(input: $input) { pledge { id } } }`,
          variables: {
            input: {
              ideaId: idea.id,
              teamId: funder.team.id,
              amount,
              idempotencyKey: randomUUID(),
            },
          },
          token: funder.lead.token,
          idempotent: true,
          onSuccess: (data) =>
            known.created.push({ table: 'pledge', id: data.pledgeToIdea.pledge.id }),
        };
      },
    ],
    [
      6,
      () => {
        const idea = pick(known.submittedIdeas);
        if (!idea) return undefined;
        const lead = cast.teams.find((t) => t.team.id === idea.sponsor.id)!.lead;
        return {
          name: 'approveIdea',
          query: `mutation($input: IdeaDecisionInput!) { approveIdea(input: $input) { initiative { id } } }`,
          variables: { input: { ideaId: idea.id, idempotencyKey: randomUUID() } },
          token: lead.token,
          idempotent: true,
          onSuccess: (data) => {
            // A proposer deactivated before the approval committed has handed it over already.
            const proposer = workforce.of(idea.proposer);
            const away =
              proposer && proposer.standing !== 'active' && proposer.standing !== 'leaving';
            const initiative: Known['initiatives'][number] = {
              id: data.approveIdea.initiative.id as string,
              sponsor: idea.sponsor,
              owner: away ? leadOf(idea.sponsor.id) : idea.proposer,
              readings: [],
            };
            known.initiatives.push(initiative);
            known.created.push({ table: 'initiative', id: initiative.id });
            // Its owner defines what it promises to move (awaited before the final reckoning).
            followUps.push(
              attempt({
                name: 'defineOutcomeMetric',
                query: `mutation($input: DefineOutcomeMetricInput!) { defineOutcomeMetric(input: $input) { metric { id } } }`,
                variables: {
                  input: {
                    initiativeId: initiative.id,
                    name: 'Calls',
                    unit: 'calls',
                    baseline: 0,
                    target: 100,
                    direction: 'HIGHER_IS_BETTER',
                  },
                },
                token: initiative.owner.token,
                idempotent: false,
                onSuccess: (defined) =>
                  (initiative.metricId = defined.defineOutcomeMetric.metric.id),
              }),
            );
          },
        };
      },
    ],
    [
      2,
      () => {
        const idea = pick(known.submittedIdeas);
        if (!idea) return undefined;
        const lead = cast.teams.find((t) => t.team.id === idea.sponsor.id)!.lead;
        return {
          name: 'rejectIdea',
          query: `mutation($input: RejectIdeaInput!) { rejectIdea(input: $input) { idea { id } } }`,
          variables: {
            input: { ideaId: idea.id, reason: 'Not now', idempotencyKey: randomUUID() },
          },
          token: lead.token,
          idempotent: true,
        };
      },
    ],
    [
      3,
      () => {
        const initiative = pick(known.initiatives.filter((i) => !i.kept));
        if (!initiative) return undefined;
        const lead = cast.teams.find((t) => t.team.id === initiative.sponsor.id)!.lead;
        return {
          name: 'cancelInitiative',
          query: `mutation($input: FinishInitiativeInput!) { cancelInitiative(input: $input) { initiative { id } } }`,
          variables: { input: { initiativeId: initiative.id, idempotencyKey: randomUUID() } },
          token: lead.token,
          idempotent: true,
        };
      },
    ],
    [
      4,
      () => {
        const initiative = pick(known.initiatives.filter((i) => i.metricId));
        if (!initiative) return undefined;
        return {
          name: 'recordMeasurement',
          query: `mutation($input: RecordMeasurementInput!) { recordMeasurement(input: $input) { measurement { id } } }`,
          variables: { input: { metricId: initiative.metricId, value: randomInt(-50, 150) } },
          token: initiative.owner.token,
          // Without a key a retry would record a second reading: not retried after a fault.
          idempotent: false,
          onSuccess: (data) => initiative.readings.push(data.recordMeasurement.measurement.id),
        };
      },
    ],
    [
      3,
      () => {
        const initiative = pick(known.initiatives.filter((i) => i.readings.length));
        if (!initiative) return undefined;
        // Any reading clients saw, current or already corrected (that one is a CONFLICT).
        return {
          name: 'correctMeasurement',
          query: `mutation($input: CorrectMeasurementInput!) { correctMeasurement(input: $input) { measurement { id } } }`,
          variables: {
            input: {
              measurementId: pick(initiative.readings),
              value: randomInt(-50, 150),
              reason: 'Misread the counter',
            },
          },
          token: initiative.owner.token,
          // The same correction sent again answers the correction it made.
          idempotent: true,
          onSuccess: (data) => initiative.readings.push(data.correctMeasurement.measurement.id),
        };
      },
    ],
    // Leavers and movers (issue 14).
    [
      2,
      () => {
        // At most a third of the workers away at once, so that the market keeps going; nobody
        // who owes an answer to a dispute (the chain to an admin's decision is rare enough).
        if (workforce.away() >= workforce.workers.length / 3) return undefined;
        const answering = known.disputes
          .filter(
            (d) => d.status === 'OPEN' || d.status === 'ANSWERING' || d.status === 'CONTESTED',
          )
          .map((d) => d.worker);
        const worker = pick(workforce.active().filter((w) => !answering.includes(w.person)));
        return worker && deactivate(worker);
      },
    ],
    [
      2,
      () => {
        const worker = pick(workforce.workers.filter((w) => w.standing === 'gone'));
        if (!worker) return undefined;
        return {
          name: 'reactivateEmployee',
          query: `mutation($input: ReactivateEmployeeInput!) { reactivateEmployee(input: $input) { employee { id } } }`,
          variables: { input: { employeeId: worker.person.employee.id } },
          token: cast.admin.token,
          // Reactivating someone active changes nothing.
          idempotent: true,
          onSend: () => workforce.returning(worker),
          // Their old tokens stay dead: they sign in again (awaited before the final reckoning).
          onSuccess: () => followUps.push(attempt(signIn(worker))),
          onRefused: () => (worker.standing = 'gone'),
          onFault: () => (worker.standing = 'gone'),
        };
      },
    ],
    [
      1,
      () => {
        // Someone deactivated tries to work: refused UNAUTHENTICATED, whatever they try.
        const worker = pick(workforce.workers.filter((w) => w.standing === 'gone'));
        const work = worker && workOf(worker);
        return work && { ...work, name: 'actAfterDeactivation', refusalExpected: true };
      },
    ],
    [
      2,
      () => {
        const worker = pick(workforce.workers.filter((w) => w.standing !== 'gone' && !w.moving));
        const to = worker && pick(cast.teams.filter((t) => t.team.id !== worker.home));
        if (!worker || !to) return undefined;
        const move: Move = { to: to.team.id, sentAt: 0 };
        const settle = (outcome: Move['outcome']) => {
          Object.assign(move, { answeredAt: Date.now(), outcome });
          worker.moving = false;
        };
        return {
          name: 'moveEmployee',
          query: `mutation($input: MoveEmployeeInput!) { moveEmployee(input: $input) { employee { id } } }`,
          variables: { input: { employeeId: worker.person.employee.id, homeTeamId: move.to } },
          token: cast.admin.token,
          // Moving someone to their home team changes nothing: a retry answers like the first.
          idempotent: true,
          onSend: () => {
            worker.moving = true;
            move.sentAt = Date.now();
            worker.moves.push(move);
          },
          onSuccess: () => {
            settle('committed');
            worker.home = move.to;
            worker.teams.add(move.to);
          },
          onRefused: () => settle('refused'),
          // Perhaps moved: time logged from now on may be paid to either team.
          onFault: () => settle('unknown'),
        };
      },
    ],
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);
  const nextOp = (): Op | undefined => {
    // One pick in four goes to an operation that has not committed yet (when one is possible
    // now), so that rare chains (dispute → contest → resolve, a reading → its correction) are
    // exercised under load on every run, not only on lucky ones.
    if (randomInt(4) === 0) {
      for (const [, make] of [...operations].sort(() => Math.random() - 0.5)) {
        const op = make();
        if (op && !op.refusalExpected && !report.byOperation[op.name]?.committed) return op;
      }
    }
    let roll = randomInt(totalWeight);
    for (const [weight, make] of operations) {
      if (roll < weight) return make();
      roll -= weight;
    }
    return undefined;
  };

  async function client(): Promise<void> {
    while (running()) {
      const op = nextOp();
      if (op) await attempt(op);
    }
  }

  async function chaos(): Promise<void> {
    let lastRestart = Date.now();
    while (running()) {
      await new Promise((resolve) => setTimeout(resolve, options.killEveryMs));
      const { rowCount } = await chaosDb.query(
        `SELECT pg_terminate_backend(pid) FROM (
           SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE '${APP_NAME}-%'
            ORDER BY random() LIMIT 1) victim`,
      );
      report.backendsKilled += rowCount ?? 0;
      if (Date.now() - lastRestart >= options.restartEveryMs && running()) {
        lastRestart = Date.now();
        const victim = pick(instances.filter((i) => i.up));
        if (victim && instances.filter((i) => i.up).length > 1) {
          await victim.kill();
          report.instanceRestarts++;
          await victim.start();
        }
      }
    }
  }

  /**
   * Time passing, from the test's side. The instances run on the real clock, and a review
   * window (TIMESHEET_REVIEW_DAYS after its week) never ends within a run of seconds; so this
   * loop moves one known week's `review_ends_at` into the past with SQL, which stands for its
   * review window having ended, and has the sweep run: the week's pending hours are then
   * approved automatically (and its buyer can no longer dispute them).
   */
  async function reviewWindows(): Promise<void> {
    while (running()) {
      await new Promise((resolve) => setTimeout(resolve, options.reviewWindowEveryMs));
      const { rows: ended } = await clockDb.query<{ id: string }>(
        `UPDATE timesheet SET review_ends_at = now() - interval '1 second'
          WHERE id = (SELECT id FROM timesheet
                       WHERE id = ANY($1::uuid[]) AND pending_hours > 0 AND review_ends_at > now()
                       ORDER BY random() LIMIT 1)
          RETURNING id`,
        [known.timesheets.map((t) => t.id)],
      );
      for (const { id } of ended) {
        const week = known.timesheets.find((t) => t.id === id);
        if (week) week.reviewEnded = true;
      }
      report.reviewWindowsEnded += ended.length;
      await options.sweep();
      report.sweeps++;
      if (!autoApproved) {
        const { rowCount } = await clockDb.query(
          `SELECT 1 FROM event WHERE action = 'timesheet.autoApprove' AND subject_id = ANY($1::uuid[]) LIMIT 1`,
          [known.timesheets.map((t) => t.id)],
        );
        autoApproved = !!rowCount;
      }
    }
  }

  async function checker(): Promise<void> {
    while (running()) {
      await check();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Every invariant, read in one consistent snapshot. */
  async function check(): Promise<void> {
    report.invariantChecks++;
    report.violations.push(...(await findViolations((sql) => checkerDb.query(sql))));
  }

  try {
    // Everything stops if the chaos loop or the checker fails, so the failure is reported whole.
    const outcomes = await Promise.allSettled(
      [
        ...Array.from({ length: options.clients }, () => client()),
        chaos(),
        checker(),
        reviewWindows(),
      ].map((work) =>
        work.catch((error: unknown) => {
          aborted = true;
          throw error;
        }),
      ),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    report.seconds = Math.round((Date.now() - started) / 1000);
    // Submissions started by proposals finish, a last sweep, then the final reckoning.
    // (A follow-up may start another: a contest, the admin's decision.)
    for (let i = 0; i < followUps.length; i++) await followUps[i];
    await options.sweep();
    report.sweeps++;
    await check();
    const weeks = known.timesheets.map((t) => t.id);
    const { rows: unpaid } = await checkerDb.query(
      `SELECT id FROM timesheet WHERE id = ANY($1::uuid[]) AND pending_hours > 0 AND review_ends_at <= now()`,
      [weeks],
    );
    for (const { id } of unpaid) {
      report.violations.push(`timesheet ${id}: its review window ended, its hours still pending`);
    }
    // Weeks paid by the sweep (a week whose window ended may take late hours, paid again).
    const { rows: autoApproved } = await checkerDb.query(
      `SELECT count(DISTINCT subject_id)::int AS n FROM event
        WHERE action = 'timesheet.autoApprove' AND subject_id = ANY($1::uuid[])`,
      [weeks],
    );
    report.byOperation.autoApprove = {
      attempted: report.reviewWindowsEnded,
      committed: autoApproved[0].n,
    };
    for (const [memo, succeeded] of known.allocations) {
      const { rows } = await checkerDb.query(
        `SELECT count(*)::int AS n FROM transfer WHERE memo = $1`,
        [memo],
      );
      if (rows[0].n > 1) report.violations.push(`allocation ${memo} applied ${rows[0].n} times`);
      if (succeeded && rows[0].n !== 1) report.violations.push(`allocation ${memo} was lost`);
    }
    for (const { table, id } of known.created) {
      const { rowCount } = await checkerDb.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id]);
      if (!rowCount) report.violations.push(`${table} ${id} answered as created but is missing`);
    }
    // Leavers acted on nothing once deactivated; hours went to the home team of their moment.
    const people = await workforce.check(checkerDb);
    report.violations.push(...people.violations);
    report.payeesChecked = people.payeesChecked;
  } finally {
    await Promise.all(instances.map((instance) => instance.kill()));
    await Promise.all([checkerDb.end(), chaosDb.end(), clockDb.end()]);
  }
  return report;
}
