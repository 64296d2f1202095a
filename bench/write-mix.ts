/**
 * The write mix: many clients at once, each repeating the market's round trip: an employee
 * bids an hour on another team's need, the buying team's lead accepts it, the employee logs
 * the hour, the lead approves the week (logged hours are paid only then), and the lead pledges
 * a credit to an idea. Every operation is a real mutation over
 * HTTP; every answer without errors counts as committed. The invariants are read afterwards.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type pg from 'pg';

export interface WriteMixCast {
  needs: { id: string; teamId: string }[];
  bidders: string[];
  ideas: string[];
  /** The lead who acts for each buying team. */
  leadOf: Map<string, string>;
  /** Bearer tokens by employee id. */
  tokens: Map<string, string>;
  /** The next round trip's number: runs continue where the last one stopped. */
  next: number;
}

export interface OperationFigures {
  operation: string;
  committed: number;
  refused: number;
  p50: number;
  p95: number;
  p99: number;
  statements?: number;
}

export interface WriteMixResult {
  clients: number;
  seconds: number;
  committed: number;
  committedPerSecond: number;
  refused: Record<string, number>;
  failed: number;
  operations: OperationFigures[];
  invariantViolations: string[];
}

const BUYER_TEAMS = 16;
const NEEDS_PER_TEAM = 25;
/** Prime, so that no (bidder, need) pair repeats within any realistic run. */
const BIDDERS = 2999;
const IDEAS = 2000;

const MUTATIONS = {
  placeBid: `mutation($input: PlaceBidInput!) { placeBid(input: $input) { bid { id } } }`,
  acceptBid: `mutation($input: AcceptBidInput!) { acceptBid(input: $input) { engagement { id } } }`,
  logTime: `mutation($input: LogTimeInput!) { logTime(input: $input) { timeLog { hours } engagement { timesheets { id } } } }`,
  approveTimesheet: `mutation($input: ApproveTimesheetInput!) { approveTimesheet(input: $input) { timesheet { id } } }`,
  pledgeToIdea: `mutation($input: PledgeToIdeaInput!) { pledgeToIdea(input: $input) { pledge { amount } } }`,
  postNeed: `mutation($input: PostNeedInput!) { postNeed(input: $input) { need { id } } }`,
};
type Operation = Exclude<keyof typeof MUTATIONS, 'postNeed'>;
const OPERATIONS: Operation[] = [
  'placeBid',
  'acceptBid',
  'logTime',
  'approveTimesheet',
  'pledgeToIdea',
];

interface Answer {
  data?: Record<string, Record<string, { id?: string; timesheets?: { id: string }[] }>>;
  errors?: { extensions?: { code?: string } }[];
}

async function send(
  url: string,
  token: string,
  operation: keyof typeof MUTATIONS,
  input: Record<string, unknown>,
): Promise<{ answer: Answer; ms: number; statements: number | null; ok: boolean }> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: MUTATIONS[operation], variables: { input } }),
  });
  const answer = (await response.json()) as Answer;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const header = response.headers.get('x-sql-statements');
  return { answer, ms, statements: header === null ? null : Number(header), ok: response.ok };
}

/** Tokens as the service issues them (the benchmark knows its secret). */
async function mintTokens(
  ids: string[],
  jwt: { secret: string; issuer: string; audience: string },
): Promise<Map<string, string>> {
  const key = new TextEncoder().encode(jwt.secret);
  const tokens = new Map<string, string>();
  for (const id of ids) {
    tokens.set(
      id,
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(id)
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(key),
    );
  }
  return tokens;
}

/**
 * Chooses who takes part, straight from the database, and posts fresh needs for the mix
 * through the API: 40 hours a week for one week at 1 credit an hour, so they fill slowly.
 */
export async function prepareWriteMix(
  db: pg.Client,
  url: string,
  jwt: { secret: string; issuer: string; audience: string },
): Promise<WriteMixCast> {
  const { rows: leads } = await db.query<{ teamId: string; leadId: string }>(
    `SELECT DISTINCT ON (m.team_id) m.team_id AS "teamId", m.employee_id AS "leadId"
       FROM team_membership m WHERE m.role = 'LEAD' ORDER BY m.team_id, m.employee_id LIMIT $1`,
    [BUYER_TEAMS],
  );
  const buyerTeams = leads.map((lead) => lead.teamId);
  const { rows: bidders } = await db.query<{ id: string }>(
    `SELECT e.id FROM employee e
      WHERE e.weekly_capacity_hours - e.committed_hours_per_week >= 4
        AND NOT EXISTS (SELECT 1 FROM team_membership m
                         WHERE m.employee_id = e.id AND m.team_id = ANY($1))
      ORDER BY e.id LIMIT $2`,
    [buyerTeams, BIDDERS],
  );
  if (bidders.length < BIDDERS) throw new Error(`only ${bidders.length} bidders with spare hours`);
  const { rows: ideas } = await db.query<{ id: string }>(
    `SELECT id FROM idea WHERE status = 'SUBMITTED' AND funding_goal - pledged_total >= 500
      ORDER BY id LIMIT $1`,
    [IDEAS],
  );
  const tokens = await mintTokens(
    [...leads.map((lead) => lead.leadId), ...bidders.map((bidder) => bidder.id)],
    jwt,
  );
  const needs: { id: string; teamId: string }[] = [];
  for (let round = 0; round < NEEDS_PER_TEAM; round++) {
    const posted = await Promise.all(
      leads.map(async (lead) => {
        const { answer } = await send(url, tokens.get(lead.leadId)!, 'postNeed', {
          buyerTeamId: lead.teamId,
          title: `Write mix ${round}`,
          hoursPerWeek: 40,
          weeks: 1,
          ratePerHour: 1,
        });
        if (answer.errors) throw new Error(`postNeed: ${JSON.stringify(answer.errors)}`);
        return { id: answer.data!.postNeed.need.id!, teamId: lead.teamId };
      }),
    );
    needs.push(...posted);
  }
  return {
    needs,
    bidders: bidders.map((b) => b.id),
    ideas: ideas.map((i) => i.id),
    leadOf: new Map(leads.map((lead) => [lead.teamId, lead.leadId])),
    tokens,
    next: 0,
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Runs `clients` loops for `seconds` (or `rounds` round trips each, to probe statements).
 * Round trip i uses need i mod 400 and bidder i mod 2999: no pair repeats, no need overfills.
 */
export async function runWriteMix(
  url: string,
  cast: WriteMixCast,
  options: { clients: number; seconds?: number; rounds?: number },
): Promise<Omit<WriteMixResult, 'invariantViolations'>> {
  const latencies = new Map<Operation, number[]>(OPERATIONS.map((op) => [op, []]));
  const refusedBy = new Map<Operation, number>(OPERATIONS.map((op) => [op, 0]));
  const statements = new Map<Operation, number>();
  const refused: Record<string, number> = {};
  let committed = 0;
  let failed = 0;
  const started = Date.now();
  const deadline = started + (options.seconds ?? 0) * 1000;
  const today = new Date().toISOString().slice(0, 10);

  const perform = async (
    operation: Operation,
    token: string,
    input: Record<string, unknown>,
  ): Promise<Answer | null> => {
    const { answer, ms, statements: count, ok } = await send(url, token, operation, input);
    if (!ok && !answer.errors) {
      failed++;
      return null;
    }
    if (answer.errors) {
      const code = answer.errors[0]?.extensions?.code ?? 'UNKNOWN';
      refused[code] = (refused[code] ?? 0) + 1;
      refusedBy.set(operation, refusedBy.get(operation)! + 1);
      return null;
    }
    committed++;
    latencies.get(operation)!.push(ms);
    if (count !== null) statements.set(operation, count);
    return answer;
  };

  const client = async (): Promise<void> => {
    for (let round = 0; ; round++) {
      if (options.rounds !== undefined ? round >= options.rounds : Date.now() >= deadline) return;
      const i = cast.next++;
      const need = cast.needs[i % cast.needs.length];
      const bidder = cast.bidders[i % cast.bidders.length];
      const bidderToken = cast.tokens.get(bidder)!;
      const leadToken = cast.tokens.get(cast.leadOf.get(need.teamId)!)!;
      const placed = await perform('placeBid', bidderToken, {
        needId: need.id,
        hoursPerWeek: 1,
        ratePerHour: 1,
      });
      const bidId = placed?.data?.placeBid.bid.id;
      if (bidId) {
        const accepted = await perform('acceptBid', leadToken, {
          bidId,
          idempotencyKey: randomUUID(),
        });
        const engagementId = accepted?.data?.acceptBid.engagement.id;
        if (engagementId) {
          // A 1-hour week: logged today, within the engagement's one week and its limit.
          const logged = await perform('logTime', bidderToken, {
            engagementId,
            date: today,
            hours: 1,
          });
          const week = logged?.data?.logTime.engagement.timesheets?.[0];
          if (week) {
            await perform('approveTimesheet', leadToken, {
              timesheetId: week.id,
              idempotencyKey: randomUUID(),
            });
          }
        }
      }
      await perform('pledgeToIdea', leadToken, {
        ideaId: cast.ideas[i % cast.ideas.length],
        teamId: need.teamId,
        amount: 1,
        idempotencyKey: randomUUID(),
      });
    }
  };

  await Promise.all(Array.from({ length: options.clients }, () => client()));
  const seconds = (Date.now() - started) / 1000;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    clients: options.clients,
    seconds: round(seconds),
    committed,
    committedPerSecond: Math.round(committed / seconds),
    refused,
    failed,
    operations: OPERATIONS.map((operation) => {
      const sorted = latencies.get(operation)!.sort((a, b) => a - b);
      return {
        operation,
        committed: sorted.length,
        refused: refusedBy.get(operation)!,
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        ...(statements.has(operation) ? { statements: statements.get(operation) } : {}),
      };
    }),
  };
}
