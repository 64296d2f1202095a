import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../setup/test-database.js';
import { findViolations } from '../../src/database/invariants.js';
import type { TeamEntity } from '../../src/modules/team/team.entity.js';
import type { Factory, Person } from './factories.js';
import { TEST_JWT_SECRET } from './test-app.js';

/**
 * A Jepsen-style bank test: two service instances on one PostgreSQL, many concurrent clients
 * doing random money and capacity operations, a chaos loop killing database backends and
 * restarting instances with SIGKILL, and a checker reading every invariant over and over.
 */
export interface BankOptions {
  seconds: number;
  clients: number;
  /** Milliseconds between backend kills, and between instance restarts. */
  killEveryMs: number;
  restartEveryMs: number;
}

export interface BankReport {
  seconds: number;
  clients: number;
  attempted: number;
  committed: number;
  refusedByRule: number;
  failedByFault: number;
  retried: number;
  backendsKilled: number;
  instanceRestarts: number;
  invariantChecks: number;
  violations: string[];
  byOperation: Record<string, { attempted: number; committed: number }>;
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
  token: string;
  /** Retried with the same arguments after a fault (the operation is idempotent). */
  idempotent: boolean;
  onSuccess?: (data: any) => void;
}

/** The world the clients know: stale at times, which is the point (the server decides). */
interface Known {
  openNeeds: { id: string; team: TeamEntity }[];
  pendingBids: { id: string; team: TeamEntity }[];
  engagements: { id: string; worker: Person }[];
  /** With their goal and what clients saw pledged, so some pledges fill them exactly. */
  submittedIdeas: { id: string; sponsor: TeamEntity; goal: number; pledged: number }[];
  initiatives: { id: string; sponsor: TeamEntity }[];
  /** memo → whether a client saw it succeed. */
  allocations: Map<string, boolean>;
  /** Rows that a successful answer reported: they must all exist at the end. */
  created: { table: string; id: string }[];
}

interface Cast {
  admin: Person;
  teams: { team: TeamEntity; lead: Person; members: Person[] }[];
}

export async function buildCast(factory: Factory): Promise<Cast> {
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
  return { admin, teams };
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
    failedByFault: 0,
    retried: 0,
    backendsKilled: 0,
    instanceRestarts: 0,
    invariantChecks: 0,
    violations: [],
    byOperation: {},
  };
  const known: Known = {
    openNeeds: [],
    pendingBids: [],
    engagements: [],
    submittedIdeas: [],
    initiatives: [],
    allocations: new Map(),
    created: [],
  };
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
  await Promise.all([checkerDb.connect(), chaosDb.connect()]);
  const until = Date.now() + options.seconds * 1000;
  const followUps: Promise<void>[] = [];
  let aborted = false;
  const running = () => !aborted && Date.now() < until;

  async function send(op: Op): Promise<'committed' | 'refused' | 'fault'> {
    const instance = pick(instances.filter((i) => i.up)) ?? instances[0];
    try {
      const response = await fetch(instance.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${op.token}` },
        body: JSON.stringify({ query: op.query, variables: op.variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as {
        data?: any;
        errors?: { extensions?: { code?: string } }[];
      };
      if (!body.errors?.length) {
        op.onSuccess?.(body.data);
        return 'committed';
      }
      const code = body.errors[0].extensions?.code ?? '';
      return RULE_CODES.has(code) ? 'refused' : 'fault';
    } catch {
      return 'fault'; // connection refused or cut: the instance was killed mid-request
    }
  }

  async function attempt(op: Op): Promise<void> {
    report.attempted++;
    const stats = (report.byOperation[op.name] ??= { attempted: 0, committed: 0 });
    stats.attempted++;
    for (let tries = 1; ; tries++) {
      const outcome = await send(op);
      if (outcome === 'committed') {
        report.committed++;
        stats.committed++;
        return;
      }
      if (outcome === 'refused') {
        report.refusedByRule++;
        return;
      }
      report.failedByFault++;
      if (!op.idempotent || tries >= 8) return;
      report.retried++;
      await new Promise((resolve) => setTimeout(resolve, 20 * tries));
    }
  }

  const teamOf = () => pick(cast.teams)!;
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
              ratePerHour: randomInt(5, 60),
              requiredSkills: [],
            },
          },
          token: lead.token,
          idempotent: false,
          onSuccess: (data) => {
            known.openNeeds.push({ id: data.postNeed.need.id, team });
            known.created.push({ table: 'need', id: data.postNeed.need.id });
          },
        };
      },
    ],
    [
      20,
      () => {
        const need = pick(known.openNeeds);
        const worker = pick(cast.teams.filter((t) => t.team.id !== need?.team.id))?.members;
        const bidder = worker && pick(worker);
        if (!need || !bidder) return undefined;
        return {
          name: 'placeBid',
          query: `mutation($input: PlaceBidInput!) { placeBid(input: $input) { bid { id } } }`,
          variables: {
            input: {
              needId: need.id,
              hoursPerWeek: randomInt(1, 3),
              ratePerHour: randomInt(5, 60),
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
        };
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
            known.engagements.push({ id: engagement.id, worker });
            known.created.push({ table: 'engagement', id: engagement.id });
          },
        };
      },
    ],
    [
      15,
      () => {
        const engagement = pick(known.engagements);
        if (!engagement) return undefined;
        return {
          name: 'logTime',
          query: `mutation($input: LogTimeInput!) { logTime(input: $input) { timeLog { id } } }`,
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
          onSuccess: (data) =>
            known.created.push({ table: 'time_log', id: data.logTime.timeLog.id }),
        };
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
        const sponsor = teamOf();
        const proposer = pick(pick(cast.teams)!.members)!;
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
                  known.submittedIdeas.push({ id, sponsor: sponsor.team, goal, pledged: 0 }),
              }),
            );
          },
        };
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
            known.initiatives.push({ id: data.approveIdea.initiative.id, sponsor: idea.sponsor });
            known.created.push({ table: 'initiative', id: data.approveIdea.initiative.id });
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
        const initiative = pick(known.initiatives);
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
  ];
  const totalWeight = operations.reduce((sum, [weight]) => sum + weight, 0);
  const nextOp = (): Op | undefined => {
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
      [...Array.from({ length: options.clients }, () => client()), chaos(), checker()].map((work) =>
        work.catch((error: unknown) => {
          aborted = true;
          throw error;
        }),
      ),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) throw failure.reason;
    // Submissions started by proposals finish, then the final reckoning.
    await Promise.all(followUps);
    await check();
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
  } finally {
    await Promise.all(instances.map((instance) => instance.kill()));
    await Promise.all([checkerDb.end(), chaosDb.end()]);
  }
  return report;
}
