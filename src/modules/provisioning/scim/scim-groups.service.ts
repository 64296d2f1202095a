import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error.js';
import { ErrorCode } from '../../../common/errors/error-code.js';
import { UnitOfWork, type Tx } from '../../../common/unit-of-work/unit-of-work.js';
import { TeamRole } from '../../team/team-role.js';
import { EmployeeService } from '../../employee/employee.service.js';
import { MembershipAdminService } from '../../employee/membership-admin.service.js';
import { TeamArchiveService } from '../../team-archive/team-archive.service.js';
import { TeamService } from '../../team/team.service.js';
import { provisioningMayRemove } from '../provisioning-policy.js';
import type { ScimToken } from '../scim-token.model.js';
import { ScimDirectoryRepository, type DirectoryGroup } from './scim-directory.repository.js';
import { invalidValue, resourceNotFound } from './scim-error.js';
import { groupConditions } from './scim-filter.js';
import { groupStateOf, patchedGroup, scimGroupOf, type GroupState } from './scim-group.js';
import { listResponse, textParam, windowOf } from './scim-list.js';
import { patchOperationsOf } from './scim-users.service.js';

type Json = Record<string, unknown>;

/** Whether the client left members out (`excludedAttributes=members`, or `attributes` without it). */
function withMembers(query: Json): boolean {
  const listed = (name: string) =>
    (textParam(query, name) ?? '').split(',').map((attribute) => attribute.trim().toLowerCase());
  if (listed('excludedAttributes').includes('members')) return false;
  const attributes = textParam(query, 'attributes');
  return attributes === undefined || listed('attributes').includes('members');
}

/**
 * SCIM Groups (RFC 7644 §3) over teams and their members. Members join as MEMBER (leads are
 * made in the app, and so stay when a group drops them: provisioning-policy.ts); a member whose
 * home team it is stays in it (their home team follows their User's department), and so does a
 * deactivated person, who cannot be added. DELETE archives the team, which needs its credits
 * moved first (409 otherwise). Every write is one unit of work, audited with the token's id.
 */
@Injectable()
export class ScimGroupsService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly directory: ScimDirectoryRepository,
    private readonly teams: TeamService,
    private readonly employees: EmployeeService,
    private readonly memberships: MembershipAdminService,
    private readonly archive: TeamArchiveService,
  ) {}

  async get(id: string, query: Json, base: string): Promise<Json> {
    const group = await this.directory.group(id);
    if (!group) throw resourceNotFound('Group', id);
    const members = withMembers(query) ? await this.directory.members([id]) : undefined;
    return scimGroupOf(group, members, base);
  }

  async list(query: Json, base: string): Promise<Json> {
    const conditions = groupConditions(textParam(query, 'filter'));
    const window = windowOf(query);
    const { total, items } = await this.directory.groups(
      conditions,
      window.startIndex - 1,
      window.count,
    );
    const members = withMembers(query)
      ? await this.directory.members(items.map((group) => group.id))
      : undefined;
    return listResponse(
      total,
      window,
      items.map((group) =>
        scimGroupOf(
          group,
          members?.filter((member) => member.groupId === group.id),
          base,
        ),
      ),
    );
  }

  /** POST /Groups: a new team (balance 0) with the members given. */
  async create(body: unknown, client: ScimToken, base: string): Promise<Json> {
    const state = groupStateOf(body);
    const id = await this.unitOfWork.run({ actor: { id: client.createdById } }, async (tx) => {
      const team = await this.teams.createIn(tx, {
        name: state.name,
        purpose: '',
        externalId: state.externalId,
      });
      const empty = { name: team.name, externalId: team.externalId, members: new Set<string>() };
      await this.apply(tx, team, empty, state);
      await this.audit(tx, 'scim.createGroup', team.id, client);
      return team.id;
    });
    return this.get(id, {}, base);
  }

  /** PUT /Groups/{id}: name, externalId and (when given) the whole member list. */
  async replace(id: string, body: unknown, client: ScimToken, base: string): Promise<Json> {
    const target = groupStateOf(body);
    await this.write(id, client, 'scim.replaceGroup', (tx, group, current) =>
      this.apply(tx, group, current, target),
    );
    return this.get(id, {}, base);
  }

  /** PATCH /Groups/{id}: answered 204 No Content, as Okta and Entra expect. */
  async patch(id: string, body: unknown, client: ScimToken): Promise<void> {
    const operations = patchOperationsOf(body);
    await this.write(id, client, 'scim.patchGroup', (tx, group, current) =>
      this.apply(tx, group, current, patchedGroup(current, operations)),
    );
  }

  /** DELETE /Groups/{id}: archives the team (its history stays); 409 while it holds credits. */
  async remove(id: string, client: ScimToken): Promise<void> {
    await this.write(id, client, 'scim.deleteGroup', async (tx) => {
      await this.archive.archiveIn(tx, { teamId: id });
    });
  }

  /** Locks the team, reads its state, and runs the change; audited. 404 for unknown/archived. */
  private async write(
    id: string,
    client: ScimToken,
    action: string,
    change: (tx: Tx, group: DirectoryGroup, current: GroupState) => Promise<void>,
  ): Promise<void> {
    await this.unitOfWork.run({ actor: { id: client.createdById } }, async (tx) => {
      if (!(await this.directory.group(id, tx))) throw resourceNotFound('Group', id);
      await this.teams.lock(tx, id);
      const group = await this.directory.group(id, tx);
      if (!group) throw resourceNotFound('Group', id);
      const members = await this.directory.members([id], tx);
      await change(tx, group, {
        name: group.name,
        externalId: group.externalId,
        members: new Set(members.map((member) => member.id)),
      });
      await this.audit(tx, action, id, client);
    });
  }

  /** Renames, re-keys, then adds and removes members to go from `current` to `target`. */
  private async apply(
    tx: Tx,
    group: DirectoryGroup,
    current: GroupState,
    target: GroupState,
  ): Promise<void> {
    const teamId = group.id;
    if (target.name !== current.name) await this.teams.renameIn(tx, { teamId, name: target.name });
    if (target.externalId !== current.externalId) {
      await this.teams.setExternalId(tx, teamId, target.externalId);
    }
    if (!target.members) return;
    const added = [...target.members].filter((id) => !current.members!.has(id));
    const removed = [...current.members!].filter((id) => !target.members!.has(id));
    const people = new Map(
      (await this.directory.people([...added, ...removed], tx)).map((p) => [p.id, p]),
    );
    for (const employeeId of added) {
      const person = people.get(employeeId);
      if (!person) throw invalidValue(`No User has the id ${employeeId}`);
      if (!person.active) continue;
      await this.employees.addTeamMemberIn(tx, { teamId, employeeId, role: TeamRole.MEMBER });
    }
    const roles = new Map(
      removed.length ? (await this.directory.members([teamId], tx)).map((m) => [m.id, m]) : [],
    );
    for (const employeeId of removed) {
      if (people.get(employeeId)?.homeTeamId === teamId) continue;
      const member = roles.get(employeeId);
      if (member && !provisioningMayRemove(member)) continue;
      try {
        await this.memberships.removeIn(tx, { teamId, employeeId });
      } catch (error) {
        // Someone else took them out meanwhile: the goal is reached.
        if (!(error instanceof DomainError && error.code === ErrorCode.NOT_FOUND)) throw error;
      }
    }
  }

  private audit(tx: Tx, action: string, teamId: string, client: ScimToken): Promise<void> {
    return tx.record({
      action,
      subjectType: 'Team',
      subjectId: teamId,
      payload: { scimTokenId: client.id, scimTokenName: client.name },
    });
  }
}
