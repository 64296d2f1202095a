import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Employee } from '../../src/modules/employee/employee.model.js';
import { EmployeeService } from '../../src/modules/employee/employee.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { BudgetService } from '../../src/modules/budget/budget.service.js';
import type { TeamEntity } from '../../src/modules/team/team.entity.js';
import { TeamRole } from '../../src/modules/team/team-role.js';
import { TeamService } from '../../src/modules/team/team.service.js';
import type { TestApp } from './test-app.js';

export const TEST_PASSWORD = 'test-password-123';

export const unique = (prefix: string): string => `${prefix} ${randomUUID().slice(0, 8)}`;

export interface Person {
  employee: Employee;
  token: string;
}

export interface PersonOptions {
  team?: TeamEntity;
  isAdmin?: boolean;
  leads?: TeamEntity[];
  weeklyCapacityHours?: number;
  skills?: { name: string; level: number }[];
  /** TEST_PASSWORD unless given. */
  password?: string;
}

/** Builds data through the services (every rule applies) and signs people in without argon2 round trips. */
export class Factory {
  constructor(private readonly testApp: TestApp) {}

  private get app() {
    return this.testApp.app;
  }

  async team(options: { name?: string; credits?: number } = {}): Promise<TeamEntity> {
    const team = await this.app
      .get(TeamService)
      .create({ name: options.name ?? unique('Team'), purpose: 'Testing' }, null);
    if (options.credits) await this.allocate(team.id, options.credits);
    return team;
  }

  async allocate(teamId: string, amount: number): Promise<void> {
    await this.app.get(BudgetService).allocateCredits({ teamId, amount }, null);
  }

  async person(options: PersonOptions = {}): Promise<Person> {
    const team = options.team ?? (await this.team());
    const employees = this.app.get(EmployeeService);
    const employee = await employees.create(
      {
        name: unique('Person'),
        email: `${randomUUID()}@example.test`,
        title: 'Tester',
        password: options.password ?? TEST_PASSWORD,
        homeTeamId: team.id,
        weeklyCapacityHours: options.weeklyCapacityHours ?? 8,
        isAdmin: options.isAdmin ?? false,
        skills: options.skills ?? [],
      },
      null,
    );
    for (const led of options.leads ?? []) {
      await employees.addTeamMember(
        { teamId: led.id, employeeId: employee.id, role: TeamRole.LEAD },
        null,
      );
    }
    const { token } = await this.app.get(AuthService).tokenFor(employee.id);
    return { employee, token };
  }

  admin(): Promise<Person> {
    return this.person({ isAdmin: true });
  }

  async lead(team?: TeamEntity): Promise<Person & { team: TeamEntity }> {
    const led = team ?? (await this.team());
    return { ...(await this.person({ team: led, leads: [led] })), team: led };
  }
}

/** Ledger facts straight from PostgreSQL, for assertions. */
export class LedgerProbe {
  constructor(private readonly dataSource: DataSource) {}

  async sumOfBalances(): Promise<number> {
    const [{ sum }] = (await this.dataSource.query(
      `SELECT coalesce(sum(balance), 0)::text AS sum FROM account`,
    )) as {
      sum: string;
    }[];
    return Number(sum);
  }

  async teamBalance(teamId: string): Promise<number> {
    const [{ balance }] = (await this.dataSource.query(
      `SELECT balance::text FROM account WHERE kind = 'TEAM' AND owner_id = $1`,
      [teamId],
    )) as { balance: string }[];
    return Number(balance);
  }

  /** Accounts whose stored balance is not the sum of their transfers (should be none). */
  async accountsOutOfBalance(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT a.id FROM account a
         LEFT JOIN LATERAL (
           SELECT coalesce(sum(CASE WHEN t.to_account_id = a.id THEN t.amount ELSE -t.amount END), 0) AS total
             FROM transfer t WHERE t.to_account_id = a.id OR t.from_account_id = a.id
         ) moved ON TRUE
        WHERE a.balance <> moved.total`,
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * Changes one actor made, by their audit events (other test files running alongside never
   * touch them); records of their refused calls (`auth.refused`) change nothing.
   */
  async eventsBy(actorId: string): Promise<number> {
    const [{ count }] = (await this.dataSource.query(
      `SELECT count(*)::int AS count FROM event WHERE actor_id = $1 AND action <> 'auth.refused'`,
      [actorId],
    )) as { count: number }[];
    return count;
  }
}
