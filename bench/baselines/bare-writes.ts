/**
 * The bare-writes baseline: the write mix's five mutations (placeBid, acceptBid, logTime,
 * approveTimesheet, pledgeToIdea) with the service's rules, in hand-written SQL over `pg` with
 * the fewest round trips: each mutation is ONE statement, a call of a PL/pgSQL function that
 * the baseline creates at start-up in its own schema `bare_writes` (bare-writes-sql.ts; never
 * in the service's migrations), and so one transaction and one round trip to PostgreSQL. It
 * speaks the same GraphQL over HTTP as the service (a bare @apollo/server, as bare-apollo.ts:
 * GraphQL parsing, validation and execution are counted the same way), so that write-mix.ts
 * drives both unchanged. This is the physical limit of the design on the machine: the same
 * work in PostgreSQL, with nothing of the service's JavaScript in between.
 *
 *   DATABASE_URL=… PORT=… JWT_SECRET=… [JWT_ISSUER=… JWT_AUDIENCE=… TIMESHEET_REVIEW_DAYS=5
 *   DB_POOL_SIZE=10] node dist/bench/baselines/bare-writes.js
 *
 * Enforced, as the service does and inside the one transaction (row locks and constraints,
 * never read-then-write in JavaScript):
 * - Authentication: the bearer token is an HS256 JWT verified with jose (secret, issuer,
 *   audience and algorithm as the service's TokenService; `sv`, the session version, 0 when
 *   absent). The actor must be an active employee whose session version is the token's, read
 *   with their row held FOR KEY SHARE until the end (the service's ActorGate: a deactivation
 *   waits for the change or refuses it). UNAUTHENTICATED otherwise.
 * - Input limits of the service's DTOs: ids are UUIDs, hoursPerWeek 1–40, ratePerHour
 *   1–10 000, message ≤ 2 000 and note ≤ 1 000 characters (trimmed), skills ≤ 20 names of
 *   ≤ 100 characters, hours 1–24, date a calendar day, amount 1–100 000 000, idempotencyKey
 *   1–200 printable ASCII characters (BAD_USER_INPUT).
 * - placeBid: the need locked FOR SHARE and OPEN; the bidder not on the buying side (a member of
 *   the buying team, the owner or an active member of the buying initiative: FORBIDDEN); rate ≤
 *   the need's rate and ≤ the market's maximum; hours ≤ the need's remaining hours; hours ≤ the
 *   bidder's spare capacity; the skills offered are the bidder's own; one live bid per bidder
 *   and need (bid_one_live_per_bidder_key).
 * - acceptBid: lock order need (FOR UPDATE), bid, employee, accounts by id; only those who act
 *   for the buyer (a lead of the buying team, the owner of the buying initiative), never on
 *   their own bid; bid PENDING, need OPEN, the bid's rate within the need's, its hours within
 *   the need's remaining hours (need_accepted_hours_check backs it); the need FILLED when full
 *   and its other pending bids rejected; the bidder's committed hours raised
 *   (employee_capacity_check: CAPACITY_EXCEEDED); hours × weeks × rate moved from the buyer's
 *   account to the need's escrow as the ledger does (both balances in one statement, rows
 *   locked in id order, account_balance_non_negative: INSUFFICIENT_FUNDS; an ESCROW_DEPOSIT
 *   transfer carrying the idempotency key and the same memo; the weekly account_flow summary);
 *   an initiative buyer's spending raised; the engagement inserted, starting this ISO week.
 * - logTime: lock order need (FOR SHARE), engagement (FOR UPDATE); only the engaged employee;
 *   engagement ACTIVE; the calendar (UTC: not a future day beyond 5 minutes of clock skew,
 *   inside the engagement's weeks, by the Monday after the day's ISO week); no unresolved
 *   dispute; PENDING hours added to the ISO week's timesheet (created on its first hours, review
 *   window TIMESHEET_REVIEW_DAYS after the week; timesheet_hours_check: ≤ hoursPerWeek a week);
 *   logged hours within the engagement's total (engagement_logged_hours_check), COMPLETED at the
 *   total with the employee's hours released; the time log paid to the worker's home team.
 * - approveTimesheet: lock order need (FOR SHARE), engagement, timesheet, its PENDING time logs,
 *   accounts; only those who act for the buyer, never the worker; the pending logs paid from the
 *   need's escrow, one TIME_PAYMENT per payee team (same memo) with its logs marked APPROVED by
 *   it; the week's hours moved from pending to approved; INVALID_TRANSITION when none pending.
 * - pledgeToIdea: a lead of the paying team (the resolver's access rule); the idea locked FOR
 *   UPDATE and visible (submitted, or the actor's own draft); SUBMITTED, not FUNDED; the amount
 *   within what the idea still needs (idea_pledged_within_goal backs it), FUNDED at the goal;
 *   TEAM → IDEA_ESCROW as a PLEDGE transfer carrying the idempotency key; at most 100 pledges an
 *   idea, counted under the idea's lock.
 * - Idempotency (acceptBid, logTime, approveTimesheet, pledgeToIdea): the key claimed in
 *   idempotency_key in the same transaction, scoped to the actor, with the service's request
 *   hash (sha256 of the stable JSON of operation and arguments); a replay answers from what
 *   the first call remembered (the same ids as the service remembers); the same key with other
 *   arguments is a CONFLICT.
 * - Audit: one `event` row per mutation, with the service's action, subject and payload.
 * - Notifications: the inbox rows the service's rules write for these events, in the same
 *   transaction (bid.place → the buying team's leads or initiative owner; bid.accept → the
 *   bidder, and the bidders rejected by a fill; timesheet.approve → the worker; idea.pledge → the
 *   proposer and the idea's followers, IDEA_FUNDED or IDEA_PLEDGED): each person once, never the
 *   actor, never a deactivated person, never a kind they turned OFF, the same messages.
 * - Deadlocks and serialization failures are retried, as the service's transactions are.
 *
 * Statements: the client sends one per mutation (x-sql-statements: 1, one round trip, its own
 * transaction). Inside PostgreSQL each function runs about as many as the service sends, from
 * cached plans: placeBid 9 (admission, need, buying side, market maximum, spare hours, bid,
 * event, notification audience and rows; +2 with skills), acceptBid 16 (admission, key claim,
 * the bid's need, need, bid, buyer check, need hours, capacity, balances, transfer and flow
 * summary, bid status, engagement, event, notification audience and rows, remembered outcome;
 * +1 when the need fills), logTime 11 (admission, engagement's need, need, engagement, dispute
 * check, timesheet, logged hours, time log, event, the answer's weeks; +1 releasing capacity at
 * completion, +2 with a key), approveTimesheet 17 (admission, key claim, the week's engagement
 * and need, need, engagement, buyer check, timesheet, pending logs, then per payee team its
 * account, balances, transfer and flow summary, logs settled; the week's hours, event,
 * notification audience and rows, remembered outcome), pledgeToIdea 13 (admission, lead check,
 * key claim, idea, pledged total, team account, balances, transfer and flow summary, pledge,
 * event, notification audience and rows, remembered outcome).
 *
 * Left out, and why:
 * - What happens after commit in memory (PubSub publications to subscriptions: bidPlaced,
 *   ideaChanged, notifications): no statement, and nobody subscribes during the bench.
 * - E-mail jobs for EMAIL_NOW notifications: the service queues them only when a mailer is
 *   configured, and the bench configures none.
 * - Rate limits, request logging, complexity analysis and the GraphQL IDE: no rule of the
 *   mutations; the bench sets the service's limits out of reach.
 * - OIDC tokens: the bench signs the service's own HS256 tokens only.
 * - The answer holds what write-mix.ts asks for (and a few fields more), not the whole types.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { GraphQLError } from 'graphql';
import { jwtVerify } from 'jose';
import { createHash } from 'node:crypto';
import pg from 'pg';
import stringify from 'safe-stable-stringify';
import { BARE_WRITES_SQL } from './bare-writes-sql.js';

const typeDefs = /* GraphQL */ `
  type Query {
    ok: Boolean!
  }
  type Mutation {
    placeBid(input: PlaceBidInput!): BidPayload!
    acceptBid(input: AcceptBidInput!): AcceptBidPayload!
    logTime(input: LogTimeInput!): LogTimePayload!
    approveTimesheet(input: ApproveTimesheetInput!): ApproveTimesheetPayload!
    pledgeToIdea(input: PledgeToIdeaInput!): PledgeToIdeaPayload!
  }
  input PlaceBidInput {
    needId: ID!
    hoursPerWeek: Int!
    ratePerHour: Int!
    message: String = ""
    skills: [String!] = []
  }
  input AcceptBidInput {
    bidId: ID!
    idempotencyKey: String
  }
  input LogTimeInput {
    engagementId: ID!
    hours: Int!
    date: String!
    note: String = ""
    idempotencyKey: String
  }
  input ApproveTimesheetInput {
    timesheetId: ID!
    idempotencyKey: String
  }
  input PledgeToIdeaInput {
    ideaId: ID!
    teamId: ID!
    amount: Int!
    idempotencyKey: String
  }
  type Bid {
    id: ID!
    needId: ID!
    hoursPerWeek: Int!
    ratePerHour: Int!
    status: String!
  }
  type BidPayload {
    bid: Bid!
  }
  type Timesheet {
    id: ID!
  }
  type Engagement {
    id: ID!
    status: String!
    timesheets: [Timesheet!]!
  }
  type AcceptBidPayload {
    engagement: Engagement!
  }
  type TimeLog {
    id: ID!
    hours: Int!
    date: String!
    status: String!
  }
  type LogTimePayload {
    timeLog: TimeLog!
    engagement: Engagement!
  }
  type ApproveTimesheetPayload {
    timesheet: Timesheet!
  }
  type Pledge {
    id: ID!
    amount: Int!
  }
  type PledgeToIdeaPayload {
    pledge: Pledge!
  }
`;

/** The service's limits (the DTOs' class-validator rules and the idea module's constants). */
const LIMITS = {
  needHoursPerWeek: 40,
  ratePerHour: 10_000,
  message: 2000,
  note: 1000,
  bidSkills: 20,
  skillName: 100,
  fundingGoal: 100_000_000,
  pledgesPerIdea: 100,
};

const JWT = {
  key: new TextEncoder().encode(process.env.JWT_SECRET ?? ''),
  issuer: process.env.JWT_ISSUER ?? 'market-based-dynamics',
  audience: process.env.JWT_AUDIENCE ?? 'market-based-dynamics',
};
const REVIEW_DAYS = Number(process.env.TIMESHEET_REVIEW_DAYS ?? 5);
const MAX_ATTEMPTS = 5;

interface Context {
  authorization: string | undefined;
  /** Shared, not a number: Apollo hands resolvers a shallow copy of the context. */
  statements: { count: number };
  pool: pg.Pool;
}

interface Actor {
  id: string;
  sessionVersion: number;
}

const refusal = (code: string, message: string, field?: string): GraphQLError =>
  new GraphQLError(message, { extensions: field ? { code, field } : { code } });
const badInput = (field: string, message: string): GraphQLError =>
  refusal('BAD_USER_INPUT', message, field);

/** The token's employee and session version; UNAUTHENTICATED as the service's TokenService. */
async function authenticate(context: Context): Promise<Actor> {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(context.authorization ?? '')?.[1];
  if (!token) throw refusal('UNAUTHENTICATED', 'Sign in first');
  try {
    const { payload } = await jwtVerify(token, JWT.key, {
      issuer: JWT.issuer,
      audience: JWT.audience,
      algorithms: ['HS256'],
    });
    const sessionVersion = payload.sv ?? 0;
    if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') throw new Error();
    if (typeof sessionVersion !== 'number' || !Number.isSafeInteger(sessionVersion))
      throw new Error();
    if (!UUID.test(payload.sub)) throw new Error();
    return { id: payload.sub, sessionVersion };
  } catch {
    throw refusal('UNAUTHENTICATED', 'The token is invalid or has expired: sign in again');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = (field: string, value: string): string => {
  if (!UUID.test(value)) throw badInput(field, `${field} must be a UUID`);
  return value;
};
const int = (field: string, value: number, min: number, max: number): number => {
  if (!Number.isInteger(value) || value < min || value > max)
    throw badInput(field, `${field} must be an integer from ${min} to ${max}`);
  return value;
};
const text = (field: string, value: string | null | undefined, max: number): string => {
  const trimmed = (value ?? '').trim();
  if (trimmed.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
  return trimmed;
};
const idempotencyKey = (value: string | null | undefined): string | null => {
  if (value === undefined || value === null) return null;
  if (value.length < 1 || value.length > 200 || !/^[\x21-\x7e]+$/.test(value))
    throw badInput('idempotencyKey', 'idempotencyKey must be printable ASCII without spaces');
  return value;
};
const calendarDay = (field: string, value: string): string => {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null;
  if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value)
    throw badInput(field, `${field} must be a calendar day (YYYY-MM-DD)`);
  return value;
};
/** The service's request hash: the operation and the arguments without the key. */
const requestHash = (operation: string, request: Record<string, unknown>): string =>
  createHash('sha256')
    .update(stringify({ operation, request }) ?? '')
    .digest('hex');

/** What the service answers for a constraint that backs a rule up. */
const CONSTRAINTS: Record<string, [code: string, message: string, field?: string]> = {
  bid_one_live_per_bidder_key: ['CONFLICT', 'You already have a live bid on this need', 'needId'],
  need_accepted_hours_check: ['CONFLICT', 'The need does not have that many hours left'],
  employee_capacity_check: [
    'CAPACITY_EXCEEDED',
    'This would commit more hours a week than the person has spare',
  ],
  account_balance_non_negative: ['INSUFFICIENT_FUNDS', 'Insufficient funds'],
  timesheet_hours_check: [
    'CONFLICT',
    'At most the engagement’s hoursPerWeek hours a week can be logged',
    'hours',
  ],
  engagement_logged_hours_check: [
    'CONFLICT',
    'No more hours are left to log on this engagement',
    'hours',
  ],
  idea_pledged_within_goal: ['CONFLICT', 'The pledge would pass the funding goal', 'amount'],
};

/**
 * One mutation: one call of its function, one statement, one round trip. Deadlocks and
 * serialization failures run it again (bounded, with jittered backoff, as the service).
 */
async function call(
  context: Context,
  name: string,
  sql: string,
  values: unknown[],
): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt++) {
    context.statements.count++;
    try {
      const { rows } = await context.pool.query<{ r: Record<string, unknown> }>({
        name,
        text: sql,
        values,
      });
      return rows[0].r;
    } catch (error) {
      const e = error as pg.DatabaseError;
      if (e.code === 'P0001' && e.detail) throw refusal(e.detail, e.message, e.hint || undefined);
      const known = e.constraint ? CONSTRAINTS[e.constraint] : undefined;
      if (known && (e.code === '23514' || e.code === '23505')) throw refusal(...known);
      if ((e.code === '40001' || e.code === '40P01') && attempt < MAX_ATTEMPTS) {
        await new Promise((resolve) =>
          setTimeout(resolve, 10 * 2 ** (attempt - 1) * Math.random()),
        );
        continue;
      }
      throw error;
    }
  }
}

interface PlaceBidInput {
  needId: string;
  hoursPerWeek: number;
  ratePerHour: number;
  message?: string | null;
  skills?: string[] | null;
}
interface AcceptBidInput {
  bidId: string;
  idempotencyKey?: string | null;
}
interface LogTimeInput {
  engagementId: string;
  hours: number;
  date: string;
  note?: string | null;
  idempotencyKey?: string | null;
}
interface ApproveTimesheetInput {
  timesheetId: string;
  idempotencyKey?: string | null;
}
interface PledgeToIdeaInput {
  ideaId: string;
  teamId: string;
  amount: number;
  idempotencyKey?: string | null;
}

type Args<T> = { input: T };

const resolvers = {
  Query: { ok: () => true },
  Mutation: {
    placeBid: async (_: unknown, { input }: Args<PlaceBidInput>, context: Context) => {
      const actor = await authenticate(context);
      const skills = input.skills ?? [];
      if (skills.length > LIMITS.bidSkills)
        throw badInput('skills', `skills: at most ${LIMITS.bidSkills}`);
      // @Tidy(): trimmed, inner spaces collapsed; a skill is matched by its normalized name.
      const names = skills.map((name) => name.trim().replace(/\s+/g, ' '));
      names.forEach((name, i) => {
        if (!name || name.length > LIMITS.skillName)
          throw badInput(`skills.${i}`, `skills.${i}: 1 to ${LIMITS.skillName} characters`);
      });
      return call(
        context,
        'bw_place_bid',
        'SELECT bare_writes.place_bid($1, $2, $3, $4, $5, $6, $7, $8) AS r',
        [
          actor.id,
          actor.sessionVersion,
          uuid('needId', input.needId),
          int('hoursPerWeek', input.hoursPerWeek, 1, LIMITS.needHoursPerWeek),
          int('ratePerHour', input.ratePerHour, 1, LIMITS.ratePerHour),
          text('message', input.message, LIMITS.message),
          names.map((name) => name.toLowerCase()),
          names,
        ],
      );
    },
    acceptBid: async (_: unknown, { input }: Args<AcceptBidInput>, context: Context) => {
      const actor = await authenticate(context);
      const bidId = uuid('bidId', input.bidId);
      return call(
        context,
        'bw_accept_bid',
        'SELECT bare_writes.accept_bid($1, $2, $3, $4, $5) AS r',
        [
          actor.id,
          actor.sessionVersion,
          bidId,
          idempotencyKey(input.idempotencyKey),
          requestHash('acceptBid', { bidId }),
        ],
      );
    },
    logTime: async (_: unknown, { input }: Args<LogTimeInput>, context: Context) => {
      const actor = await authenticate(context);
      const request = {
        engagementId: uuid('engagementId', input.engagementId),
        hours: int('hours', input.hours, 1, 24),
        date: calendarDay('date', input.date),
        note: text('note', input.note, LIMITS.note),
      };
      return call(
        context,
        'bw_log_time',
        'SELECT bare_writes.log_time($1, $2, $3, $4, $5, $6, $7, $8, $9) AS r',
        [
          actor.id,
          actor.sessionVersion,
          request.engagementId,
          request.date,
          request.hours,
          request.note,
          idempotencyKey(input.idempotencyKey),
          requestHash('logTime', request),
          REVIEW_DAYS,
        ],
      );
    },
    approveTimesheet: async (
      _: unknown,
      { input }: Args<ApproveTimesheetInput>,
      context: Context,
    ) => {
      const actor = await authenticate(context);
      const timesheetId = uuid('timesheetId', input.timesheetId);
      return call(
        context,
        'bw_approve_timesheet',
        'SELECT bare_writes.approve_timesheet($1, $2, $3, $4, $5) AS r',
        [
          actor.id,
          actor.sessionVersion,
          timesheetId,
          idempotencyKey(input.idempotencyKey),
          requestHash('approveTimesheet', { timesheetId }),
        ],
      );
    },
    pledgeToIdea: async (_: unknown, { input }: Args<PledgeToIdeaInput>, context: Context) => {
      const actor = await authenticate(context);
      const request = {
        ideaId: uuid('ideaId', input.ideaId),
        teamId: uuid('teamId', input.teamId),
        amount: int('amount', input.amount, 1, LIMITS.fundingGoal),
      };
      return call(
        context,
        'bw_pledge_to_idea',
        'SELECT bare_writes.pledge_to_idea($1, $2, $3, $4, $5, $6, $7, $8) AS r',
        [
          actor.id,
          actor.sessionVersion,
          request.ideaId,
          request.teamId,
          request.amount,
          idempotencyKey(input.idempotencyKey),
          requestHash('pledgeToIdea', request),
          LIMITS.pledgesPerIdea,
        ],
      );
    },
  },
};

/** Says how many statements each request sent, as the service does (x-sql-statements). */
const statementHeader: ApolloServerPlugin<Context> = {
  requestDidStart: async () => ({
    willSendResponse: async ({ contextValue, response }) => {
      response.http.headers.set('x-sql-statements', String(contextValue.statements.count));
    },
  }),
};

async function main(): Promise<void> {
  if (!process.env.JWT_SECRET) throw new Error('JWT_SECRET is required');
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_SIZE ?? 10),
  });
  // The functions, in the baseline's own schema (idempotent); one transaction, so that two
  // baselines starting at once do not interleave their definitions.
  await pool.query(`BEGIN; ${BARE_WRITES_SQL}; COMMIT`);
  const server = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    // As in the service: no per-field cache-control hints, which would wrap every resolver.
    plugins: [ApolloServerPluginCacheControlDisabled(), statementHeader],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT), host: '127.0.0.1' },
    context: async ({ req }) => ({
      authorization: req.headers.authorization,
      statements: { count: 0 },
      pool,
    }),
  });
  console.log(`bare writes baseline on ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
