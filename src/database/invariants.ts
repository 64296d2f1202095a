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
