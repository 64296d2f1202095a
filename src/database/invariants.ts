/**
 * The money and capacity rules as queries that find what breaks them. Each returns the
 * offending rows; none should ever return one. Run them in one REPEATABLE READ snapshot.
 * The bank test reads them under chaos; the benchmark reads them after its write mix.
 */
export const INVARIANTS: readonly (readonly [violation: string, sql: string])[] = [
  ['balances do not sum to 0', `SELECT 1 FROM account HAVING sum(balance) <> 0`],
  ['an account below 0', `SELECT id FROM account WHERE balance < 0 AND kind <> 'ISSUANCE'`],
  [
    'a balance differs from its transfers',
    `SELECT a.id FROM account a
       LEFT JOIN (SELECT to_account_id AS id, sum(amount) AS n FROM transfer GROUP BY 1) i ON i.id = a.id
       LEFT JOIN (SELECT from_account_id AS id, sum(amount) AS n FROM transfer GROUP BY 1) o ON o.id = a.id
      WHERE a.balance <> coalesce(i.n, 0) - coalesce(o.n, 0)`,
  ],
  [
    'the weekly flow summary differs from the transfers',
    `SELECT f.account_id FROM (
       SELECT account_id, sum(amount_in) - sum(amount_out) AS n FROM account_flow GROUP BY 1) f
       JOIN account a ON a.id = f.account_id WHERE f.n <> a.balance`,
  ],
  [
    'the weekly hours summary differs from the time logs',
    `SELECT coalesce(h.team_id, l.team_id) FROM (
       SELECT team_id, week, status, hours FROM team_hours_week WHERE hours <> 0) h
       FULL JOIN (
         SELECT payee_team_id AS team_id, date_trunc('week', work_date::timestamp)::date AS week,
                status, sum(hours) AS hours
           FROM time_log GROUP BY 1, 2, 3) l USING (team_id, week, status)
      WHERE h.hours IS DISTINCT FROM l.hours`,
  ],
  [
    'an employee over capacity, or committed hours that differ from their work',
    `SELECT e.id FROM employee e
       LEFT JOIN (SELECT employee_id, sum(hours) AS h FROM (
         SELECT employee_id, hours_per_week AS hours FROM engagement WHERE status = 'ACTIVE'
         UNION ALL SELECT employee_id, hours_per_week FROM initiative_member WHERE left_at IS NULL) w
         GROUP BY 1) c ON c.employee_id = e.id
      WHERE e.committed_hours_per_week > e.weekly_capacity_hours
         OR e.committed_hours_per_week <> coalesce(c.h, 0)`,
  ],
  ['a need over-filled', `SELECT id FROM need WHERE accepted_hours_per_week > hours_per_week`],
  [
    'an engagement paid past its hours, or logged hours that differ from its time logs',
    `SELECT g.id FROM engagement g
       LEFT JOIN (SELECT engagement_id, sum(hours) AS h FROM time_log GROUP BY 1) t ON t.engagement_id = g.id
      WHERE g.logged_hours > g.total_hours OR g.logged_hours <> coalesce(t.h, 0)`,
  ],
  [
    'an idea pledged past its goal, or a pledged total that differs from its pledges',
    `SELECT d.id FROM idea d
       LEFT JOIN (SELECT idea_id, sum(amount) AS n FROM pledge GROUP BY 1) p ON p.idea_id = d.id
      WHERE d.pledged_total > d.funding_goal
         OR (d.status IN ('SUBMITTED', 'FUNDED') AND d.pledged_total <> coalesce(p.n, 0))`,
  ],
  // A need's rate only rises, so a bid accepted at or below it then is at or below it now.
  [
    "a bid ACCEPTED at a rate above its need's rate",
    `SELECT b.id FROM bid b JOIN need n ON n.id = b.need_id
      WHERE b.status = 'ACCEPTED' AND b.rate_per_hour > n.rate_per_hour`,
  ],
  // Only acceptBid pays into a need's escrow (hours × weeks × the bid's rate), accepted hours
  // never exceed the need's and never come back, and no bid's rate passes the need's.
  [
    "a need escrow that received more than the need's budget",
    `SELECT n.id FROM need n
       JOIN (SELECT to_account_id AS id, sum(amount) AS n FROM transfer GROUP BY 1) i ON i.id = n.escrow_account_id
      WHERE i.n > n.hours_per_week::bigint * n.weeks * n.rate_per_hour`,
  ],
  // Weekly timesheets (issue 13): escrow holds exactly what is still owed or under review.
  [
    "a need's escrow differs from its unlogged hours of active engagements plus its hours under review",
    `SELECT n.id FROM need n JOIN account a ON a.id = n.escrow_account_id
       LEFT JOIN (SELECT need_id, sum((total_hours - logged_hours)::bigint * rate_per_hour) AS v
                    FROM engagement WHERE status = 'ACTIVE' GROUP BY 1) u ON u.need_id = n.id
       LEFT JOIN (SELECT g.need_id, sum(l.hours::bigint * g.rate_per_hour) AS v
                    FROM time_log l JOIN engagement g ON g.id = l.engagement_id
                   WHERE l.status IN ('PENDING', 'DISPUTED') GROUP BY 1) r ON r.need_id = n.id
      WHERE a.balance <> coalesce(u.v, 0) + coalesce(r.v, 0)`,
  ],
  [
    'a week holding more than its limit, or hours by review state that differ from its time logs',
    `SELECT s.id FROM timesheet s
       LEFT JOIN (SELECT timesheet_id,
                         sum(hours) FILTER (WHERE status = 'PENDING') AS pending,
                         sum(hours) FILTER (WHERE status = 'DISPUTED') AS disputed,
                         sum(hours) FILTER (WHERE status = 'APPROVED') AS approved,
                         sum(hours) FILTER (WHERE status = 'REFUNDED') AS refunded
                    FROM time_log GROUP BY 1) l ON l.timesheet_id = s.id
      WHERE s.pending_hours + s.disputed_hours + s.approved_hours + s.refunded_hours > s.max_hours
         OR s.pending_hours <> coalesce(l.pending, 0) OR s.disputed_hours <> coalesce(l.disputed, 0)
         OR s.approved_hours <> coalesce(l.approved, 0) OR s.refunded_hours <> coalesce(l.refunded, 0)`,
  ],
  [
    'a time log paid or refunded other than once, by a transfer of its kind and worth',
    `SELECT t.id FROM transfer t
       JOIN (SELECT l.transfer_id, min(l.status::text) AS status, max(l.status::text) AS last,
                    sum(l.hours::bigint * g.rate_per_hour) AS v
               FROM time_log l JOIN engagement g ON g.id = l.engagement_id
              WHERE l.transfer_id IS NOT NULL GROUP BY 1) l ON l.transfer_id = t.id
      WHERE l.status <> l.last OR t.amount <> l.v
         OR t.kind <> (CASE l.status WHEN 'APPROVED' THEN 'TIME_PAYMENT' ELSE 'TIME_REFUND' END)::transfer_kind
     UNION ALL
     SELECT t.id FROM transfer t
      WHERE t.kind IN ('TIME_PAYMENT', 'TIME_REFUND')
        AND NOT EXISTS (SELECT 1 FROM time_log l WHERE l.transfer_id = t.id)`,
  ],
  [
    'a dispute whose hours differ from its time logs, or an unresolved one with settled logs',
    `SELECT d.id FROM timesheet_dispute d
       LEFT JOIN (SELECT dispute_id, sum(hours) AS h,
                         count(*) FILTER (WHERE status <> 'DISPUTED') AS settled
                    FROM time_log WHERE dispute_id IS NOT NULL GROUP BY 1) l ON l.dispute_id = d.id
      WHERE d.hours <> coalesce(l.h, 0)
         OR (d.status IN ('OPEN', 'CONTESTED') AND l.settled > 0)
         OR (d.status NOT IN ('OPEN', 'CONTESTED') AND l.settled <> (SELECT count(*) FROM time_log x WHERE x.dispute_id = d.id))`,
  ],
  // Outcomes (issue 13): history is kept, and the latest value follows the current readings.
  [
    'a reading corrected by one of another metric or another moment',
    `SELECT m.id FROM measurement m JOIN measurement c ON c.id = m.superseded_by_id
      WHERE c.metric_id <> m.metric_id OR c.at <> m.at`,
  ],
  [
    "a metric's latest value that is not its latest current reading",
    `SELECT o.id FROM outcome_metric o
      WHERE o.latest_at IS DISTINCT FROM (SELECT max(m.at) FROM measurement m
                                           WHERE m.metric_id = o.id AND m.superseded_by_id IS NULL)
         OR (o.latest_at IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM measurement m WHERE m.metric_id = o.id AND m.superseded_by_id IS NULL
                  AND m.at = o.latest_at AND m.value = o.latest_value))`,
  ],
  // Leavers (issue 14): deactivation ends someone's work, and nothing gives them more.
  [
    'a deactivated employee with a pending bid, an active engagement, an initiative membership or an active initiative',
    `SELECT e.id FROM employee e
      WHERE e.deactivated_at IS NOT NULL AND (
            EXISTS (SELECT 1 FROM bid b WHERE b.bidder_id = e.id AND b.status = 'PENDING')
         OR EXISTS (SELECT 1 FROM engagement g WHERE g.employee_id = e.id AND g.status = 'ACTIVE')
         OR EXISTS (SELECT 1 FROM initiative_member m WHERE m.employee_id = e.id AND m.left_at IS NULL)
         OR EXISTS (SELECT 1 FROM initiative i WHERE i.owner_id = e.id AND i.status = 'ACTIVE'))`,
  ],
  // Events are numbered as they are inserted, inside their transaction: whatever someone did
  // that committed before their deactivation was numbered before the deactivation's own event.
  // Refusals of their requests (`auth.refused`) change nothing and are not counted.
  [
    'an audited change by an employee after their deactivation, before any reactivation',
    `SELECT a.id FROM event d
       JOIN event a ON a.actor_id = d.subject_id AND a.seq > d.seq AND a.action <> 'auth.refused'
      WHERE d.action = 'employee.deactivate'
        AND NOT EXISTS (SELECT 1 FROM event r
                         WHERE r.action = 'employee.reactivate' AND r.subject_id = d.subject_id
                           AND r.seq > d.seq AND r.seq < a.seq)`,
  ],
];

type Query = (sql: string) => Promise<{ rowCount: number | null }>;

/** Every invariant read in one consistent snapshot: what is broken, with how many rows. */
export async function findViolations(query: Query): Promise<string[]> {
  const violations: string[] = [];
  await query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const [violation, sql] of INVARIANTS) {
      const { rowCount } = await query(sql);
      if (rowCount) violations.push(`${violation} (${rowCount} rows)`);
    }
  } finally {
    await query('ROLLBACK');
  }
  return violations;
}
