import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../../common/unit-of-work/unit-of-work.js';
import { EmployeeAdminService } from '../../employee/employee-admin.service.js';
import { EmployeeService } from '../../employee/employee.service.js';
import { MembershipAdminService } from '../../employee/membership-admin.service.js';
import { LeaversService } from '../../leavers/leavers.service.js';
import { TeamRole } from '../../team/team-role.js';
import { TeamService } from '../../team/team.service.js';
import { ScimDirectoryRepository } from '../scim/scim-directory.repository.js';
import { parsePeopleCsv, type PersonRow, type RowError } from './people-csv.js';

export interface ImportReport {
  /** Every bad row (nothing was applied), or the row a rule refused (everything rolled back). */
  errors: RowError[];
  /** What was done, or with --dry-run what would be: one line per change. */
  changes: string[];
  applied: boolean;
}

/** Thrown out of the unit of work to roll a dry run back once everything was checked. */
class DryRun extends Error {}

/** A rule a row broke while it was applied: the import stops and rolls back. */
class RowRefused extends Error {
  constructor(readonly row: RowError) {
    super(row.message);
  }
}

/**
 * `npm run import:people`: people, teams and memberships from a CSV file, in ONE unit of work
 * (all rows or none), through the same services and rules as the API. Idempotent: a row that
 * matches the database changes nothing, so the same file imported twice reports no changes the
 * second time. Unknown teams are created. People are matched by e-mail; new ones have no
 * password (they sign in through SSO). Listed teams get the role the file says; teams the file
 * does not name for a person are left alone (removeTeamMember takes people out). A dry run does
 * everything, every rule checked, and rolls it back.
 */
@Injectable()
export class PeopleImportService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly directory: ScimDirectoryRepository,
    private readonly employees: EmployeeService,
    private readonly people: EmployeeAdminService,
    private readonly teams: TeamService,
    private readonly leavers: LeaversService,
    private readonly teamRoles: MembershipAdminService,
  ) {}

  async import(csv: string, options: { dryRun: boolean; file: string }): Promise<ImportReport> {
    const { rows, errors } = parsePeopleCsv(csv);
    if (errors.length) return { errors, changes: [], applied: false };
    const changes: string[] = [];
    try {
      await this.unitOfWork.run({ actor: null }, async (tx) => {
        changes.length = 0;
        const teamIds = new Map<string, string>();
        for (const row of rows) {
          try {
            await this.applyRow(tx, row, teamIds, changes);
          } catch (error) {
            if (error instanceof DomainError) {
              throw new RowRefused({ line: row.line, message: error.message });
            }
            throw error;
          }
        }
        await tx.record({
          action: 'people.import',
          subjectType: 'Import',
          subjectId: null,
          payload: { file: options.file, rows: rows.length, changes: changes.length },
        });
        if (options.dryRun) throw new DryRun();
      });
    } catch (error) {
      if (error instanceof DryRun) return { errors: [], changes, applied: false };
      if (error instanceof RowRefused) return { errors: [error.row], changes: [], applied: false };
      throw error;
    }
    return { errors: [], changes, applied: true };
  }

  private async applyRow(
    tx: Tx,
    row: PersonRow,
    teamIds: Map<string, string>,
    changes: string[],
  ): Promise<void> {
    const say = (change: string) => changes.push(`line ${row.line}: ${row.email}: ${change}`);
    const homeTeamId = await this.team(tx, row.homeTeam, teamIds, row, changes);
    let person = await this.directory.userByEmail(row.email, tx);
    if (!person) {
      const created = await this.employees.createIn(tx, {
        name: row.name,
        email: row.email,
        title: row.title ?? '',
        passwordHash: null,
        homeTeamId,
        weeklyCapacityHours: row.weeklyCapacityHours ?? 8,
        isAdmin: false,
        skills: [],
        externalId: row.externalId ?? null,
      });
      say(`joins, in ${row.homeTeam}`);
      person = (await this.directory.user(created.id, tx))!;
    } else {
      const employeeId = person.id;
      if (row.active === true && !person.active) {
        await this.people.reactivateIn(tx, { employeeId });
        say('reactivated');
      }
      const current = await this.people.lock(tx, employeeId);
      const update = {
        name: row.name !== current.name ? row.name : undefined,
        title: row.title !== undefined && row.title !== current.title ? row.title : undefined,
        weeklyCapacityHours:
          row.weeklyCapacityHours !== undefined &&
          row.weeklyCapacityHours !== current.weeklyCapacityHours
            ? row.weeklyCapacityHours
            : undefined,
      };
      const changed = Object.entries(update).filter(([, value]) => value !== undefined);
      if (changed.length) {
        await this.people.updateIn(tx, { employeeId, ...update });
        say(`${changed.map(([field, value]) => `${field} → ${String(value)}`).join(', ')}`);
      }
      if (row.externalId !== undefined && row.externalId !== person.externalId) {
        await this.people.setDirectoryIdentity(tx, employeeId, {
          userName: person.userName,
          externalId: row.externalId,
        });
        say(`external id → ${row.externalId}`);
      }
      if (homeTeamId !== person.homeTeamId) {
        await this.people.moveIn(tx, { employeeId, homeTeamId });
        say(`moves to ${row.homeTeam}`);
      }
    }
    await this.memberships(tx, person.id, homeTeamId, row, teamIds, say, changes);
    if (row.active === false && person.active) {
      await this.leavers.deactivateIn(tx, { employeeId: person.id });
      say('deactivated (offboarded)');
    }
  }

  /** The roles the file gives: LEAD where lead_of says, MEMBER in member_of and the home team. */
  private async memberships(
    tx: Tx,
    employeeId: string,
    homeTeamId: string,
    row: PersonRow,
    teamIds: Map<string, string>,
    say: (change: string) => void,
    changes: string[],
  ): Promise<void> {
    const wanted = new Map<string, { name: string; role: TeamRole }>();
    wanted.set(homeTeamId, { name: row.homeTeam, role: TeamRole.MEMBER });
    for (const name of row.memberOf) {
      wanted.set(await this.team(tx, name, teamIds, row, changes), { name, role: TeamRole.MEMBER });
    }
    for (const name of row.leadOf) {
      wanted.set(await this.team(tx, name, teamIds, row, changes), { name, role: TeamRole.LEAD });
    }
    const roles = new Map(
      (await this.directory.rolesOf(employeeId, tx)).map((m) => [m.teamId, m.role]),
    );
    for (const [teamId, { name, role }] of wanted) {
      const now = roles.get(teamId);
      if (now === role) continue;
      if (now) {
        await this.teamRoles.setRoleIn(tx, { teamId, employeeId, role });
        say(`${role} of ${name}`);
      } else {
        await this.employees.addTeamMemberIn(tx, { teamId, employeeId, role });
        say(`joins ${name} as ${role}`);
      }
    }
  }

  /** The id of the team named so (any case), created if there is none; archived is refused. */
  private async team(
    tx: Tx,
    name: string,
    teamIds: Map<string, string>,
    row: PersonRow,
    changes: string[],
  ): Promise<string> {
    const key = name.toLowerCase();
    const known = teamIds.get(key);
    if (known) return known;
    const found = await this.directory.teamNamed(name, tx);
    if (found?.archived) {
      throw new RowRefused({ line: row.line, message: `The team "${found.name}" is archived` });
    }
    const id = found?.id ?? (await this.teams.createIn(tx, { name, purpose: '' })).id;
    if (!found) changes.push(`line ${row.line}: team ${name} is created`);
    teamIds.set(key, id);
    return id;
  }
}
