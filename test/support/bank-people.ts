import type pg from 'pg';
import type { Person } from './factories.js';

/**
 * The bank test's leavers and movers (issue 14), as its clients know them: who is active, who
 * is being or has been deactivated (and since when the client knows it), whose tokens are dead,
 * and each worker's moves between home teams. From that, what a run must show: nobody acts once
 * their deactivation has been acknowledged, and hours are paid to the home team of the moment
 * they were logged.
 */
export type Standing = 'active' | 'leaving' | 'gone' | 'returning';

export interface Move {
  to: string;
  /** Before the first attempt was sent; when the last was answered, and how. */
  sentAt: number;
  answeredAt?: number;
  outcome?: 'committed' | 'refused' | 'unknown';
}

export interface Worker {
  person: Person;
  /** The home team the run started with, the current one as clients saw it, and every team joined. */
  initialHome: string;
  home: string;
  teams: Set<string>;
  standing: Standing;
  /** One move at a time per worker, so that their moves commit in the order they were sent. */
  moving: boolean;
  moves: Move[];
  /**
   * Deactivations a client saw acknowledged: from then until a reactivation was sent, nothing
   * the worker does may commit (what was under way then committed before the deactivation, or
   * not at all).
   */
  absences: { acknowledgedAt: number; until?: number }[];
}

/** A time log a client saw committed, with when its request was sent and answered. */
export interface LoggedTime {
  id: string;
  worker: Worker;
  sentAt: number;
  answeredAt: number;
}

export class Workforce {
  readonly workers: Worker[];
  readonly logs: LoggedTime[] = [];
  /**
   * Tokens whose owner's deactivation was sent (`since`), and acknowledged (`endedAt`): from
   * `since` an UNAUTHENTICATED answer is expected; after `endedAt` it is the only right one.
   */
  private readonly endedTokens = new Map<string, { since: number; endedAt?: number }>();

  constructor(teams: { team: { id: string }; members: Person[] }[]) {
    this.workers = teams.flatMap(({ team, members }) =>
      members.map((person) => ({
        person,
        initialHome: team.id,
        home: team.id,
        teams: new Set([team.id]),
        standing: 'active' as Standing,
        moving: false,
        moves: [],
        absences: [],
      })),
    );
  }

  active(): Worker[] {
    return this.workers.filter((w) => w.standing === 'active');
  }

  of(person: Person): Worker | undefined {
    return this.workers.find((w) => w.person === person);
  }

  /** Not active (leaving, gone or returning). */
  away(): number {
    return this.workers.filter((w) => w.standing !== 'active').length;
  }

  /** The deactivation is being sent: the worker's current token may die any moment now. */
  leaving(worker: Worker): void {
    worker.standing = 'leaving';
    this.endedTokens.set(worker.person.token, { since: Date.now() });
  }

  /** A client saw the deactivation committed (or refused as done already). */
  left(worker: Worker): void {
    const at = Date.now();
    worker.standing = 'gone';
    const ended = this.endedTokens.get(worker.person.token);
    if (ended && ended.endedAt === undefined) ended.endedAt = at;
    worker.absences.push({ acknowledgedAt: at });
  }

  /** The deactivation was refused by a rule: nothing happened. */
  stayed(worker: Worker): void {
    worker.standing = 'active';
    this.endedTokens.delete(worker.person.token);
  }

  /** A reactivation is being sent: what the worker does after it commits is theirs again. */
  returning(worker: Worker): void {
    worker.standing = 'returning';
    const absence = worker.absences.at(-1);
    if (absence && absence.until === undefined) absence.until = Date.now();
  }

  /** Whether the token's owner may have been deactivated (UNAUTHENTICATED is then expected). */
  mayBeEnded(token: string): boolean {
    return this.endedTokens.has(token);
  }

  /** When a client saw the token's owner deactivated; undefined if it never did. */
  endedAt(token: string): number | undefined {
    return this.endedTokens.get(token)?.endedAt;
  }

  /**
   * The teams a time log may be paid to: the home team of the last move answered before its
   * request was sent, and the target of every move that may have committed while it ran.
   */
  allowedPayees({ worker, sentAt, answeredAt }: LoggedTime): Set<string> {
    let home = worker.initialHome;
    const allowed = new Set<string>();
    for (const move of worker.moves) {
      if (move.outcome === 'committed' && move.answeredAt! < sentAt) home = move.to;
      const concurrent =
        move.sentAt < answeredAt &&
        (move.outcome === 'unknown' ||
          (move.outcome === 'committed' && move.answeredAt! >= sentAt));
      if (concurrent) allowed.add(move.to);
    }
    allowed.add(home);
    return allowed;
  }

  /**
   * What the database must show of leavers and movers once the run is over (the audit-log and
   * state rules are in INVARIANTS, checked all along):
   * - no row written by (or for) a worker was created after a client had seen their
   *   deactivation acknowledged, unless a reactivation had been sent since (a transaction's
   *   `created_at` is its start: one that started after the deactivation committed must have
   *   been refused);
   * - every time log a client saw committed is paid to the home team of its moment;
   * - every time log is paid to a team that was its worker's home team at some point (from the
   *   audit log's `employee.move` events alone).
   */
  async check(db: pg.Client): Promise<{ violations: string[]; payeesChecked: number }> {
    const violations: string[] = [];
    const absences = this.workers.flatMap((w) =>
      w.absences.map((a) => ({
        id: w.person.employee.id,
        // Strictly after the acknowledgement: the client clock reads whole milliseconds.
        from: new Date(a.acknowledgedAt + 1).toISOString(),
        until: a.until === undefined ? 'infinity' : new Date(a.until).toISOString(),
      })),
    );
    const { rows: late } = await db.query<{ kind: string; id: string; employee_id: string }>(
      `WITH absence AS (
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS a(employee_id, since, until))
       SELECT 'bid' AS kind, b.id, a.employee_id FROM bid b
         JOIN absence a ON a.employee_id = b.bidder_id AND b.created_at > a.since AND b.created_at < a.until
       UNION ALL
       SELECT 'engagement', g.id, a.employee_id FROM engagement g
         JOIN absence a ON a.employee_id = g.employee_id AND g.created_at > a.since AND g.created_at < a.until
       UNION ALL
       SELECT 'time_log', l.id, a.employee_id FROM time_log l JOIN engagement g ON g.id = l.engagement_id
         JOIN absence a ON a.employee_id = g.employee_id AND l.created_at > a.since AND l.created_at < a.until
       UNION ALL
       SELECT 'idea', d.id, a.employee_id FROM idea d
         JOIN absence a ON a.employee_id = d.proposer_id AND d.created_at > a.since AND d.created_at < a.until
       UNION ALL
       SELECT 'endorsement', n.idea_id, a.employee_id FROM endorsement n
         JOIN absence a ON a.employee_id = n.employee_id AND n.created_at > a.since AND n.created_at < a.until
       UNION ALL
       SELECT 'comment', c.id, a.employee_id FROM comment c
         JOIN absence a ON a.employee_id = c.author_id AND c.created_at > a.since AND c.created_at < a.until
       UNION ALL
       SELECT 'measurement', m.id, a.employee_id FROM measurement m
         JOIN absence a ON a.employee_id = m.recorded_by_id AND m.created_at > a.since AND m.created_at < a.until
       UNION ALL
       SELECT 'initiative_member', m.initiative_id, a.employee_id FROM initiative_member m
         JOIN absence a ON a.employee_id = m.employee_id AND m.joined_at > a.since AND m.joined_at < a.until`,
      [absences.map((a) => a.id), absences.map((a) => a.from), absences.map((a) => a.until)],
    );
    for (const row of late) {
      violations.push(
        `${row.kind} ${row.id} of employee ${row.employee_id} created after a client saw them deactivated`,
      );
    }

    // INVARIANTS count these all along; the final reckoning names them.
    const { rows: acts } = await db.query<{ action: string; actor: string }>(
      `SELECT a.action, a.actor_id AS actor FROM event d
         JOIN event a ON a.actor_id = d.subject_id AND a.seq > d.seq AND a.action <> 'auth.refused'
        WHERE d.action = 'employee.deactivate'
          AND NOT EXISTS (SELECT 1 FROM event r
                           WHERE r.action = 'employee.reactivate' AND r.subject_id = d.subject_id
                             AND r.seq > d.seq AND r.seq < a.seq)`,
    );
    for (const { action, actor } of acts) {
      violations.push(`${action} by employee ${actor} numbered after their deactivation`);
    }

    const { rows: payees } = await db.query<{ id: string; payee: string }>(
      `SELECT id, payee_team_id AS payee FROM time_log WHERE id = ANY($1::uuid[])`,
      [this.logs.map((l) => l.id)],
    );
    const payeeOf = new Map(payees.map((row) => [row.id, row.payee]));
    for (const log of this.logs) {
      const payee = payeeOf.get(log.id);
      const allowed = this.allowedPayees(log);
      if (payee !== undefined && !allowed.has(payee)) {
        violations.push(
          `time_log ${log.id} paid to team ${payee}, not the home team of its moment (${[...allowed].join(' or ')})`,
        );
      }
    }

    // From the database alone: the payee is the worker's home team now, or one they moved from or to.
    const { rows: strays } = await db.query<{ id: string }>(
      `SELECT l.id FROM time_log l JOIN engagement g ON g.id = l.engagement_id
         JOIN employee e ON e.id = g.employee_id
        WHERE l.payee_team_id IS NULL
           OR (l.payee_team_id <> e.home_team_id AND NOT EXISTS (
                 SELECT 1 FROM event v
                  WHERE v.action = 'employee.move' AND v.subject_id = e.id
                    AND l.payee_team_id::text IN (v.payload->'homeTeamId'->>'from', v.payload->'homeTeamId'->>'to')))`,
    );
    for (const { id } of strays) {
      violations.push(`time_log ${id} paid to a team that was never its worker's home team`);
    }
    return { violations, payeesChecked: this.logs.filter((l) => payeeOf.has(l.id)).length };
  }
}
