/**
 * Builds a large organisation directly in PostgreSQL with set-based SQL, consistent with every
 * rule the service enforces: balances equal the sum of their transfers and add up to 0, no
 * account below 0, nobody committed past capacity, no need over-filled, one live bid per
 * person per need, summaries (account_flow, outcome scores, latest values, market views) up
 * to date.
 */
import pg from 'pg';
import { hashPassword } from '../src/common/auth/passwords.js';

export interface OrganisationSize {
  teams: number;
  employees: number;
  skills: number;
  needs: number;
  bidsPerNeed: number;
  ideas: number;
  measurementsPerMetric: number;
}

/** The large organisation: 10 000 people, 500 teams, 200 000 needs, 1 000 000 bids, ... */
export const LARGE: OrganisationSize = {
  teams: 500,
  employees: 10_000,
  skills: 60,
  needs: 200_000,
  bidsPerNeed: 5,
  ideas: 50_000, // 5 000 of them approved: 5 000 initiatives, 15 000 metrics
  measurementsPerMetric: 67, // about 1 000 000 measurements
};

export const BENCH_PASSWORD = 'bench-password';
/** Employee n leads team n for n < teams: bench1@example.com leads a team. */
export const BENCH_LEAD = 'bench1@example.com';

type Log = (message: string) => void;

export async function generateOrganisation(
  url: string,
  size: OrganisationSize,
  log: Log,
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = Date.now();
  const step = async (name: string, sql: string, params: unknown[] = []): Promise<void> => {
    const t = Date.now();
    const result = await client.query(sql, params);
    log(`  ${name}: ${result.rowCount ?? 0} rows in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query(`SET work_mem = '64MB'`);
    const { teams, employees, skills, needs, bidsPerNeed, ideas } = size;
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    // A year of history, newest last: need n was posted (needs - n) / needs of a year ago.
    const day = (expr: string, count: number) =>
      `now() - ((${count} - (${expr})) * interval '365 days' / ${count})`;

    await step(
      'teams',
      `INSERT INTO team (name, purpose, created_at)
       SELECT 'Team ' || lpad(n::text, 4, '0'), 'Bench team ' || n, now() - interval '400 days'
         FROM generate_series(0, $1 - 1) n`,
      [teams],
    );
    await client.query(`CREATE TEMP TABLE t_team AS
      SELECT (row_number() OVER (ORDER BY name) - 1)::int AS n, id FROM team WHERE name LIKE 'Team %'`);
    await step(
      'team accounts',
      `INSERT INTO account (kind, owner_id) SELECT 'TEAM', id FROM t_team`,
    );
    await client.query(`ALTER TABLE t_team ADD account_id uuid`);
    await client.query(
      `UPDATE t_team t SET account_id = a.id FROM account a WHERE a.kind = 'TEAM' AND a.owner_id = t.id`,
    );
    await step(
      'skills',
      `INSERT INTO skill (name, normalized_name) SELECT 'Skill ' || n, 'skill ' || n FROM generate_series(0, $1 - 1) n`,
      [skills],
    );
    await client.query(`CREATE TEMP TABLE t_skill AS
      SELECT (row_number() OVER (ORDER BY id) - 1)::int AS n, id FROM skill WHERE normalized_name LIKE 'skill %'`);

    // Employee n: home team n % teams; capacity 8, 12 or 16 hours.
    await step(
      'employees',
      `INSERT INTO employee (email, name, title, password_hash, weekly_capacity_hours, home_team_id, created_at)
       SELECT 'bench' || g.i || '@example.com', 'Person ' || lpad(g.i::text, 5, '0'), 'Agent', $2, 8 + (g.i % 3) * 4,
              t.id, now() - interval '400 days'
         FROM generate_series(0, $1 - 1) AS g(i) JOIN t_team t ON t.n = g.i % $3`,
      [employees, passwordHash, teams],
    );
    await client.query(`CREATE TEMP TABLE t_employee AS
      SELECT substring(email FROM 'bench(\\d+)@')::int AS n, id, home_team_id FROM employee WHERE email LIKE 'bench%@example.com'`);
    await client.query(`CREATE UNIQUE INDEX ON t_employee (n)`);
    await step(
      'memberships',
      `INSERT INTO team_membership (team_id, employee_id, role)
       SELECT home_team_id, id, CASE WHEN n < $1 THEN 'LEAD' ELSE 'MEMBER' END::team_role FROM t_employee`,
      [teams],
    );
    await step(
      'employee skills',
      `INSERT INTO employee_skill (employee_id, skill_id, level)
       SELECT e.id, s.id, 1 + (e.n + k) % 5
         FROM t_employee e CROSS JOIN generate_series(0, 2) k JOIN t_skill s ON s.n = (e.n * 7 + k * 13) % $1`,
      [skills],
    );

    // Needs: buyer team n % teams; 2–6 hours a week for 1–8 weeks at 10–100 credits an hour.
    // Status by n % 10: 0–4 FILLED (one bid took every hour), 5–7 OPEN, 8–9 CLOSED (half filled).
    await client.query(`CREATE TEMP TABLE t_need AS
      SELECT n, gen_random_uuid() AS id, gen_random_uuid() AS escrow_id, n % ${teams} AS team_n,
             2 + n % 5 AS hours, 1 + n % 8 AS weeks, 10 + (n % 19) * 5 AS rate,
             CASE WHEN n % 10 < 5 THEN 'FILLED' WHEN n % 10 < 8 THEN 'OPEN' ELSE 'CLOSED' END AS status,
             ${day('n', needs)} AS posted
        FROM generate_series(0, ${needs} - 1) n`);
    await client.query(`CREATE UNIQUE INDEX ON t_need (n)`);
    await step(
      'need escrow accounts',
      `INSERT INTO account (id, kind, owner_id) SELECT escrow_id, 'NEED_ESCROW', id FROM t_need`,
    );
    await step(
      'needs',
      `INSERT INTO need (id, buyer_kind, buyer_id, buyer_account_id, escrow_account_id, posted_by_id, title, description,
                         hours_per_week, weeks, rate_per_hour, accepted_hours_per_week, status, created_at, filled_at, closed_at)
       SELECT d.id, 'TEAM', t.id, t.account_id, d.escrow_id, lead.id, 'Need ' || d.n || ': help with skill ' || d.n % ${skills},
              'Bench need number ' || d.n, d.hours, d.weeks, d.rate,
              CASE d.status WHEN 'FILLED' THEN d.hours WHEN 'CLOSED' THEN d.hours / 2 ELSE 0 END,
              d.status::need_status, d.posted,
              CASE WHEN d.status = 'FILLED' THEN d.posted + (d.n % 72) * interval '1 hour' END,
              CASE WHEN d.status = 'CLOSED' THEN d.posted + interval '10 days' END
         FROM t_need d JOIN t_team t ON t.n = d.team_n JOIN t_employee lead ON lead.n = d.team_n`,
    );
    await step(
      'need skills',
      `INSERT INTO need_skill (need_id, skill_id, min_level)
       SELECT d.id, s.id, 1 + d.n % 3 FROM t_need d JOIN t_skill s ON s.n = d.n % ${skills}
       UNION ALL
       SELECT d.id, s.id, 1 FROM t_need d JOIN t_skill s ON s.n = (d.n * 7 + 3) % ${skills}
        WHERE d.n % 2 = 0 AND (d.n * 7 + 3) % ${skills} <> d.n % ${skills}`,
    );

    // Bids: bidder (n + 1 + k·2003) % employees, never of the buying team; the first bid of a
    // FILLED or CLOSED need was accepted, the others rejected; an OPEN need's bids are pending.
    await client.query(`CREATE TEMP TABLE t_bid AS
      SELECT d.n, k, gen_random_uuid() AS id, d.id AS need_id, (d.n + 1 + k * 2003) % ${employees} AS bidder_n,
             CASE WHEN d.status = 'CLOSED' THEN greatest(d.hours / 2, 1) ELSE 1 + (d.n + k) % d.hours END AS hours,
             d.rate - ((d.n + k) % 3) * 5 AS rate, -- at most the need's rate: its ceiling
             CASE WHEN d.status = 'OPEN' THEN 'PENDING' WHEN k = 0 THEN 'ACCEPTED' ELSE 'REJECTED' END AS status,
             d.posted + (k + 1) * interval '1 hour' AS placed
        FROM t_need d CROSS JOIN generate_series(0, ${bidsPerNeed} - 1) k`);
    await client.query(
      `UPDATE t_bid b SET hours = d.hours FROM t_need d WHERE d.n = b.n AND d.status = 'FILLED' AND b.k = 0`,
    );
    await step(
      'bids',
      `INSERT INTO bid (id, need_id, bidder_id, hours_per_week, rate_per_hour, message, status, decision_note, created_at, decided_at)
       SELECT b.id, b.need_id, e.id, b.hours, greatest(b.rate, 1), 'Happy to help', b.status::bid_status,
              CASE WHEN b.status = 'REJECTED' THEN 'The need was filled' END, b.placed,
              CASE WHEN b.status <> 'PENDING' THEN b.placed + interval '1 hour' END
         FROM t_bid b JOIN t_employee e ON e.n = b.bidder_n`,
    );

    // Engagements of accepted bids: ACTIVE if the need was posted in the last 2 weeks (half its
    // weeks logged, of those already over), COMPLETED before that (all logged), ENDED for closed
    // needs (one week logged). Every logged week holds hours_per_week, approved and paid: a
    // week holds at most that (weekly timesheets).
    await client.query(`CREATE TEMP TABLE t_engagement AS
      SELECT b.n, gen_random_uuid() AS id, b.id AS bid_id, b.need_id, b.bidder_n, b.hours, d.weeks, greatest(b.rate, 1) AS rate,
             b.hours * d.weeks AS total,
             CASE WHEN d.status = 'CLOSED' THEN 'ENDED' WHEN d.posted > now() - interval '14 days' THEN 'ACTIVE'
                  ELSE 'COMPLETED' END AS status,
             d.posted + interval '2 hours' AS started, date_trunc('week', d.posted + interval '2 hours')::date AS starts_on,
             d.escrow_id, d.team_n
        FROM t_bid b JOIN t_need d ON d.n = b.n WHERE b.status = 'ACCEPTED'`);
    await client.query(`ALTER TABLE t_engagement ADD logged_weeks int, ADD logged int`);
    await client.query(`UPDATE t_engagement SET logged_weeks = CASE status WHEN 'COMPLETED' THEN weeks
      WHEN 'ACTIVE' THEN least(weeks / 2, floor(extract(epoch FROM now() - starts_on::timestamptz) / 604800)::int)
      ELSE 1 END`);
    await client.query(`UPDATE t_engagement SET logged = hours * logged_weeks`);
    await step(
      'engagements',
      `INSERT INTO engagement (id, bid_id, need_id, employee_id, hours_per_week, weeks, rate_per_hour, total_hours,
                               logged_hours, status, starts_on, created_at, finished_at)
       SELECT g.id, g.bid_id, g.need_id, e.id, g.hours, g.weeks, g.rate, g.total, g.logged, g.status::engagement_status,
              g.starts_on,
              g.started, CASE WHEN g.status <> 'ACTIVE' THEN g.started + g.weeks * interval '7 days' END
         FROM t_engagement g JOIN t_employee e ON e.n = g.bidder_n`,
    );

    // Ideas: proposer i % employees, sponsor i % teams; status by i % 10: 0 DRAFT, 1–3
    // SUBMITTED (half pledged), 4 FUNDED, 5 APPROVED (fully pledged by two teams), 6–7
    // REJECTED (pledge refunded), 8–9 WITHDRAWN.
    await client.query(`CREATE TEMP TABLE t_idea AS
      SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS escrow_id, i % ${employees} AS proposer_n, i % ${teams} AS sponsor_n,
             1000 + (i % 41) * 100 AS goal,
             CASE WHEN i % 10 = 0 THEN 'DRAFT' WHEN i % 10 < 4 THEN 'SUBMITTED' WHEN i % 10 = 4 THEN 'FUNDED'
                  WHEN i % 10 = 5 THEN 'APPROVED' WHEN i % 10 < 8 THEN 'REJECTED' ELSE 'WITHDRAWN' END AS status,
             ${day('i', ideas)} AS proposed
        FROM generate_series(0, ${ideas} - 1) i`);
    await client.query(`CREATE TEMP TABLE t_pledge AS
      SELECT x.i, x.team_n, x.amount, gen_random_uuid() AS id, gen_random_uuid() AS transfer_id, x.ord FROM (
        SELECT i, (i + 7) % ${teams} AS team_n, goal / 2 AS amount, 1 AS ord FROM t_idea WHERE status IN ('SUBMITTED', 'REJECTED')
        UNION ALL SELECT i, (i + 7) % ${teams}, goal / 2, 1 FROM t_idea WHERE status IN ('FUNDED', 'APPROVED')
        UNION ALL SELECT i, (i + 13) % ${teams}, goal - goal / 2, 2 FROM t_idea WHERE status IN ('FUNDED', 'APPROVED')
      ) x`);
    await step(
      'idea escrow accounts',
      `INSERT INTO account (id, kind, owner_id) SELECT escrow_id, 'IDEA_ESCROW', id FROM t_idea`,
    );

    // Initiatives from approved ideas: 80 % ACTIVE, 15 % COMPLETED, 5 % CANCELLED.
    await client.query(`CREATE TEMP TABLE t_initiative AS
      SELECT x.*, (row_number() OVER (ORDER BY i) - 1)::int AS k FROM (
        SELECT i, gen_random_uuid() AS id, gen_random_uuid() AS account_id, proposer_n, sponsor_n, goal, proposed + interval '7 days' AS started
          FROM t_idea WHERE status = 'APPROVED') x`);
    await client.query(`ALTER TABLE t_initiative ADD status text`);
    await client.query(
      `UPDATE t_initiative SET status = CASE WHEN k % 20 < 16 THEN 'ACTIVE' WHEN k % 20 < 19 THEN 'COMPLETED' ELSE 'CANCELLED' END`,
    );
    await step(
      'initiative accounts',
      `INSERT INTO account (id, kind, owner_id) SELECT account_id, 'INITIATIVE', id FROM t_initiative`,
    );
    await step(
      'initiatives',
      `INSERT INTO initiative (id, owner_id, sponsor_team_id, account_id, title, summary, budget, status, created_at, finished_at)
       SELECT x.id, e.id, t.id, x.account_id, 'Idea ' || x.i, 'Bench initiative', x.goal, x.status::initiative_status, x.started,
              CASE WHEN x.status <> 'ACTIVE' THEN x.started + interval '60 days' END
         FROM t_initiative x JOIN t_employee e ON e.n = x.proposer_n JOIN t_team t ON t.n = x.sponsor_n`,
    );
    await step(
      'ideas',
      `INSERT INTO idea (id, proposer_id, sponsor_team_id, escrow_account_id, title, problem, proposal, expected_outcomes,
                         funding_goal, pledged_total, endorsement_count, status, decision_reason, created_at, submitted_at,
                         funded_at, decided_at, initiative_id)
       SELECT d.id, e.id, t.id, d.escrow_id, 'Idea ' || d.i || ': better ' || (ARRAY['calls','shipping','photos','hiring','returns'])[1 + d.i % 5],
              'Things could be better around ' || (ARRAY['calls','shipping','photos','hiring','returns'])[1 + d.i % 5],
              'Try something new, number ' || d.i, 'Happier customers', d.goal,
              coalesce(pledged.total, 0),
              CASE WHEN d.status = 'DRAFT' THEN 0 ELSE d.i % 4 END, d.status::idea_status,
              CASE WHEN d.status = 'REJECTED' THEN 'Not now' END, d.proposed,
              CASE WHEN d.status <> 'DRAFT' THEN d.proposed + (d.i % 48) * interval '1 hour' END,
              CASE WHEN d.status IN ('FUNDED', 'APPROVED') THEN d.proposed + interval '3 days' + (d.i % 96) * interval '1 hour' END,
              CASE WHEN d.status IN ('APPROVED', 'REJECTED', 'WITHDRAWN') THEN d.proposed + interval '7 days' END,
              x.id
         FROM t_idea d JOIN t_employee e ON e.n = d.proposer_n JOIN t_team t ON t.n = d.sponsor_n
         LEFT JOIN t_initiative x ON x.i = d.i
         LEFT JOIN (SELECT i, sum(amount) AS total FROM t_pledge GROUP BY i) pledged ON pledged.i = d.i`,
    );
    await step(
      'endorsements',
      `INSERT INTO endorsement (idea_id, employee_id)
       SELECT d.id, e.id FROM t_idea d CROSS JOIN generate_series(1, 3) k
         JOIN t_employee e ON e.n = (d.proposer_n + k * 17) % ${employees}
        WHERE k <= d.i % 4 AND d.status <> 'DRAFT'`,
    );
    await step(
      'initiative funders',
      `INSERT INTO initiative_funder (initiative_id, team_id, amount)
       SELECT x.id, t.id, sum(p.amount) FROM t_initiative x JOIN t_pledge p ON p.i = x.i JOIN t_team t ON t.n = p.team_n
        GROUP BY x.id, t.id`,
    );
    // Members: the owner (0 h) and three people at 1 h; nobody in more than two initiatives.
    await step(
      'initiative members',
      `INSERT INTO initiative_member (initiative_id, employee_id, hours_per_week, joined_at, left_at)
       SELECT x.id, e.id, CASE WHEN j = 0 THEN 0 ELSE 1 END, x.started,
              CASE WHEN x.status <> 'ACTIVE' THEN x.started + interval '60 days' END
         FROM t_initiative x CROSS JOIN generate_series(0, 3) j
         JOIN t_employee e ON e.n = CASE WHEN j = 0 THEN x.proposer_n ELSE (x.k * 3 + j + 5000) % ${employees} END
       ON CONFLICT DO NOTHING`,
    );
    await step(
      'milestones',
      `INSERT INTO milestone (initiative_id, title, due_date, completed_at, created_at)
       SELECT x.id, 'Milestone ' || m, (x.started + m * interval '14 days')::date,
              CASE WHEN m <= 1 + x.k % 4 THEN x.started + m * interval '13 days' END, x.started
         FROM t_initiative x CROSS JOIN generate_series(1, 4) m`,
    );
    await step(
      'outcome metrics',
      `INSERT INTO outcome_metric (initiative_id, name, unit, baseline, target, direction, created_at, reporter_id)
       SELECT x.id, (ARRAY['Calls taken', 'Minutes per call', 'Satisfaction'])[m],
              (ARRAY['calls/week', 'minutes', 'points of 5'])[m],
              (ARRAY[100, 10, 4.0])[m], (ARRAY[200, 7, 4.8])[m],
              (ARRAY['HIGHER_IS_BETTER', 'LOWER_IS_BETTER', 'HIGHER_IS_BETTER'])[m]::metric_direction, x.started,
              i.owner_id
         FROM t_initiative x JOIN initiative i ON i.id = x.id CROSS JOIN generate_series(1, 3) m`,
    );
    await step(
      'measurements',
      `INSERT INTO measurement (metric_id, value, at, recorded_by_id)
       SELECT o.id, o.baseline + (o.target - o.baseline) * (w::float / $1) * (0.6 + (abs(hashtext(o.id::text)) % 60) / 100.0),
              date_trunc('milliseconds', o.created_at + w * interval '5 days'), i.owner_id
         FROM outcome_metric o JOIN initiative i ON i.id = o.initiative_id CROSS JOIN generate_series(1, $1) w`,
      [size.measurementsPerMetric],
    );

    // The ledger: every movement above as a transfer, then allocations that keep each team
    // solvent, then balances and the weekly flow summary from the transfers.
    await step(
      'transfers: escrow deposits',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT t.account_id, g.escrow_id, g.total * g.rate, 'ESCROW_DEPOSIT', 'Escrow', g.started
         FROM t_engagement g JOIN t_team t ON t.n = g.team_n`,
    );
    await step(
      'transfers: time payments',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT g.escrow_id, t.account_id, g.logged * g.rate, 'TIME_PAYMENT', g.logged || ' h', g.started + interval '6 days'
         FROM t_engagement g JOIN t_employee e ON e.n = g.bidder_n JOIN t_team t ON t.id = e.home_team_id
        WHERE g.logged > 0`,
    );
    await step(
      'timesheets',
      `INSERT INTO timesheet (engagement_id, week_start, max_hours, approved_hours, review_ends_at, created_at)
       SELECT g.id, g.starts_on + 7 * w, g.hours, g.hours, (g.starts_on + 7 * w + 12)::timestamptz,
              (g.starts_on + 7 * w + 2)::timestamptz
         FROM t_engagement g CROSS JOIN generate_series(0, g.logged_weeks - 1) w`,
    );
    // One log a week, on its Wednesday, paid (with the engagement's other weeks) by one transfer.
    await step(
      'time logs',
      `INSERT INTO time_log (engagement_id, timesheet_id, hours, work_date, note, transfer_id, status, payee_team_id,
                             settled_at, created_at)
       SELECT g.id, s.id, s.approved_hours, s.week_start + 2, 'Work', t.id, 'APPROVED', t.to_account_owner,
              g.started + interval '6 days', g.started + interval '6 days'
         FROM t_engagement g
         JOIN timesheet s ON s.engagement_id = g.id
         JOIN (SELECT x.id, x.from_account_id, a.owner_id AS to_account_owner
                 FROM transfer x JOIN account a ON a.id = x.to_account_id WHERE x.kind = 'TIME_PAYMENT') t
           ON t.from_account_id = g.escrow_id`,
    );
    await step(
      'transfers: escrow returns',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT g.escrow_id, t.account_id, (g.total - g.logged) * g.rate, 'ESCROW_RETURN', 'Unspent escrow', g.started + interval '10 days'
         FROM t_engagement g JOIN t_team t ON t.n = g.team_n WHERE g.status = 'ENDED' AND g.total > g.logged`,
    );
    await step(
      'transfers: pledges',
      `INSERT INTO transfer (id, from_account_id, to_account_id, amount, kind, memo, at)
       SELECT p.transfer_id, t.account_id, d.escrow_id, p.amount, 'PLEDGE', 'Pledge', d.proposed + interval '2 days'
         FROM t_pledge p JOIN t_idea d ON d.i = p.i JOIN t_team t ON t.n = p.team_n`,
    );
    await step(
      'pledges',
      `INSERT INTO pledge (id, idea_id, team_id, pledged_by_id, amount, transfer_id, created_at)
       SELECT p.id, d.id, t.id, lead.id, p.amount, p.transfer_id, d.proposed + interval '2 days'
         FROM t_pledge p JOIN t_idea d ON d.i = p.i JOIN t_team t ON t.n = p.team_n JOIN t_employee lead ON lead.n = p.team_n`,
    );
    await step(
      'transfers: pledge refunds',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT d.escrow_id, t.account_id, p.amount, 'PLEDGE_REFUND', 'Pledge back', d.proposed + interval '7 days'
         FROM t_pledge p JOIN t_idea d ON d.i = p.i JOIN t_team t ON t.n = p.team_n WHERE d.status = 'REJECTED'`,
    );
    await step(
      'transfers: initiative funding',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT d.escrow_id, x.account_id, x.goal, 'INITIATIVE_FUNDING', 'Budget', x.started
         FROM t_initiative x JOIN t_idea d ON d.i = x.i`,
    );
    await step(
      'transfers: initiative refunds',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT x.account_id, t.account_id, p.amount, 'INITIATIVE_REFUND', 'Unspent budget', x.started + interval '60 days'
         FROM t_initiative x JOIN t_pledge p ON p.i = x.i JOIN t_team t ON t.n = p.team_n WHERE x.status <> 'ACTIVE'`,
    );
    await step(
      'transfers: allocations',
      `INSERT INTO transfer (from_account_id, to_account_id, amount, kind, memo, at)
       SELECT (SELECT id FROM account WHERE kind = 'ISSUANCE'), t.account_id,
              greatest(coalesce(outflow.total, 0) - coalesce(inflow.total, 0), 0) + 100000, 'ALLOCATION', 'Yearly budget',
              now() - interval '370 days'
         FROM t_team t
         LEFT JOIN (SELECT from_account_id AS id, sum(amount) AS total FROM transfer GROUP BY 1) outflow ON outflow.id = t.account_id
         LEFT JOIN (SELECT to_account_id AS id, sum(amount) AS total FROM transfer GROUP BY 1) inflow ON inflow.id = t.account_id`,
    );
    await step(
      'balances',
      `UPDATE account a SET balance = moves.total FROM (
         SELECT id, sum(change) AS total FROM (
           SELECT to_account_id AS id, amount AS change FROM transfer
           UNION ALL SELECT from_account_id, -amount FROM transfer) m GROUP BY id) moves
        WHERE moves.id = a.id`,
    );
    await step(
      'account flows',
      `INSERT INTO account_flow (account_id, week, kind, amount_in, amount_out)
       SELECT account_id, week, kind, sum(amount_in), sum(amount_out) FROM (
         SELECT to_account_id AS account_id, date_trunc('week', at AT TIME ZONE 'UTC')::date AS week, kind, amount AS amount_in, 0 AS amount_out
           FROM transfer
         UNION ALL
         SELECT from_account_id, date_trunc('week', at AT TIME ZONE 'UTC')::date, kind, 0, amount FROM transfer
       ) moves GROUP BY 1, 2, 3
       ORDER BY 2 -- week by week, as a running service fills it
       ON CONFLICT (account_id, week, kind) DO UPDATE
         SET amount_in = account_flow.amount_in + EXCLUDED.amount_in, amount_out = account_flow.amount_out + EXCLUDED.amount_out`,
    );
    await step(
      'committed hours',
      `UPDATE employee e SET committed_hours_per_week = c.hours FROM (
         SELECT employee_id, sum(hours) AS hours FROM (
           SELECT employee_id, hours_per_week AS hours FROM engagement WHERE status = 'ACTIVE'
           UNION ALL SELECT employee_id, hours_per_week FROM initiative_member WHERE left_at IS NULL) h
         GROUP BY employee_id) c
        WHERE c.employee_id = e.id`,
    );
    await step(
      'latest values',
      `UPDATE outcome_metric o SET latest_value = m.value, latest_at = m.at
         FROM (SELECT DISTINCT ON (metric_id) metric_id, value, at FROM measurement ORDER BY metric_id, at DESC, id DESC) m
        WHERE m.metric_id = o.id`,
    );
    await step(
      'outcome scores',
      `UPDATE initiative i SET outcome_score = s.score FROM (
         SELECT initiative_id, avg(least(1, greatest(0, (latest_value - baseline) / (target - baseline))) * 100) AS score
           FROM outcome_metric WHERE latest_value IS NOT NULL GROUP BY initiative_id) s
        WHERE s.initiative_id = i.id`,
    );
    for (const view of [
      'market_need_week',
      'market_fill_time_week',
      'market_rate_week',
      'market_skill_now',
    ]) {
      await step(`refresh ${view}`, `REFRESH MATERIALIZED VIEW ${view}`);
    }
    await client.query(`UPDATE summary_refresh SET refreshed_at = now()`);
    // As autovacuum would leave it: statistics, and visibility maps for index-only scans.
    await step('vacuum analyze', `VACUUM ANALYZE`);
    log(`generated in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await client.end();
  }
}
