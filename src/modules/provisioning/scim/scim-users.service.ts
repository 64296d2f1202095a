import { Injectable } from '@nestjs/common';
import { scimPatch, ScimError as PatchError, type ScimPatchOperation } from 'scim-patch';
import type { Tx } from '../../../common/unit-of-work/unit-of-work.js';
import { UnitOfWork } from '../../../common/unit-of-work/unit-of-work.js';
import type { AppConfig } from '../../../config/app-config.js';
import { InjectConfig } from '../../../config/config.module.js';
import { EmployeeAdminService } from '../../employee/employee-admin.service.js';
import { EmployeeService } from '../../employee/employee.service.js';
import { LeaversService } from '../../leavers/leavers.service.js';
import type { ScimToken } from '../scim-token.model.js';
import { ScimDirectoryRepository, type DirectoryUser } from './scim-directory.repository.js';
import { provisioningMayChange } from '../provisioning-policy.js';
import {
  adminOutOfReach,
  invalidPath,
  invalidSyntax,
  invalidValue,
  resourceNotFound,
} from './scim-error.js';
import { userConditions } from './scim-filter.js';
import { listResponse, textParam, windowOf } from './scim-list.js';
import { scimUserOf, userFieldsOf, type UserFields } from './scim-user.js';

type Json = Record<string, unknown>;

/**
 * SCIM Users (RFC 7644 §3) over employees. Every write is one unit of work acting for the admin
 * who created the token, through the employee, team and leavers services, so that the same
 * rules, locks and audit apply as in the GraphQL API, plus a `scim.*` event naming the token.
 * `active: false` and DELETE offboard the person exactly as deactivateEmployee does; nothing is
 * deleted.
 */
@Injectable()
export class ScimUsersService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly directory: ScimDirectoryRepository,
    private readonly employees: EmployeeService,
    private readonly people: EmployeeAdminService,
    private readonly leavers: LeaversService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  private get attribute() {
    return this.config.scim.homeTeamAttribute;
  }

  async get(id: string, base: string): Promise<Json> {
    const user = await this.directory.user(id);
    if (!user) throw resourceNotFound('User', id);
    return scimUserOf(user, base, this.attribute);
  }

  async list(query: Json, base: string): Promise<Json> {
    const conditions = userConditions(textParam(query, 'filter'));
    const window = windowOf(query);
    const { total, items } = await this.directory.users(
      conditions,
      window.startIndex - 1,
      window.count,
    );
    return listResponse(
      total,
      window,
      items.map((user) => scimUserOf(user, base, this.attribute)),
    );
  }

  /** POST /Users: a new employee without a password (they sign in through SSO). */
  async create(body: unknown, client: ScimToken, base: string): Promise<Json> {
    const fields = userFieldsOf(body, this.attribute);
    const id = await this.unitOfWork.run({ actor: { id: client.createdById } }, async (tx) => {
      const homeTeamId = await this.homeTeamId(tx, fields.homeTeam, true);
      const created = await this.employees.createIn(tx, {
        name: fields.name,
        email: fields.email,
        title: fields.title,
        passwordHash: null,
        homeTeamId: homeTeamId!,
        weeklyCapacityHours: 8,
        isAdmin: false,
        skills: [],
        userName: fields.userName,
        externalId: fields.externalId,
      });
      if (!fields.active) await this.leavers.deactivateIn(tx, { employeeId: created.id });
      await this.audit(tx, 'scim.createUser', created.id, client);
      return created.id;
    });
    return this.get(id, base);
  }

  /** PUT /Users/{id}: the body replaces what SCIM manages of the employee. */
  async replace(id: string, body: unknown, client: ScimToken, base: string): Promise<Json> {
    const fields = userFieldsOf(body, this.attribute);
    await this.write(id, client, 'scim.replaceUser', (tx, current) =>
      this.apply(tx, current, fields, client),
    );
    return this.get(id, base);
  }

  /**
   * PATCH /Users/{id}: the operations are applied to the user's current representation (with
   * scim-patch: paths, value filters, path-less replace), which is then written as by PUT.
   */
  async patch(id: string, body: unknown, client: ScimToken, base: string): Promise<Json> {
    const operations = patchOperationsOf(body);
    await this.write(id, client, 'scim.patchUser', async (tx, current) => {
      const before = scimUserOf(current, base, this.attribute);
      let after: Json;
      try {
        after = scimPatch(structuredClone(before) as never, operations) as Json;
      } catch (error) {
        if (error instanceof PatchError) throw invalidPath(error.message);
        throw error;
      }
      await this.apply(tx, current, userFieldsOf(renamed(before, after), this.attribute), client);
    });
    return this.get(id, base);
  }

  /**
   * DELETE /Users/{id}: deactivation (the person's history stays); 404 once it is unknown, 403
   * for an active admin.
   */
  async remove(id: string, client: ScimToken): Promise<void> {
    await this.write(id, client, 'scim.deleteUser', async (tx, current) => {
      if (!current.active) return;
      if (!provisioningMayChange(current)) throw adminOutOfReach();
      await this.leavers.deactivateIn(tx, { employeeId: id }, client.createdById);
    });
  }

  /** Locks the employee, reads them as SCIM sees them, and runs the change; audited. */
  private async write(
    id: string,
    client: ScimToken,
    action: string,
    change: (tx: Tx, current: DirectoryUser) => Promise<void>,
  ): Promise<void> {
    await this.unitOfWork.run({ actor: { id: client.createdById } }, async (tx) => {
      const exists = await this.directory.user(id, tx);
      if (!exists) throw resourceNotFound('User', id);
      await this.people.lock(tx, id);
      await change(tx, (await this.directory.user(id, tx))!);
      await this.audit(tx, action, id, client);
    });
  }

  /**
   * Writes the fields that changed: sign-in back first (reactivation), then name, e-mail and
   * title, the directory's ids, the home team (a move), and deactivation last. An admin is
   * refused (403) before anything is written if anything would change.
   */
  private async apply(
    tx: Tx,
    current: DirectoryUser,
    fields: UserFields,
    client: ScimToken,
  ): Promise<void> {
    const employeeId = current.id;
    const reactivates = fields.active && !current.active;
    const deactivates = !fields.active && current.active;
    const update = {
      name: fields.name !== current.name ? fields.name : undefined,
      email: fields.email !== current.email.toLowerCase() ? fields.email : undefined,
      title: fields.title !== current.title ? fields.title : undefined,
    };
    const updates = Object.values(update).some((value) => value !== undefined);
    const identity = {
      userName: fields.userName,
      externalId: fields.externalId === undefined ? current.externalId : fields.externalId,
    };
    const reidentifies =
      (identity.userName ?? '').toLowerCase() !== (current.userName ?? '').toLowerCase() ||
      (identity.externalId ?? null) !== current.externalId;
    const homeTeamId =
      fields.homeTeam && fields.homeTeam.toLowerCase() !== current.homeTeamName.toLowerCase()
        ? await this.homeTeamId(tx, fields.homeTeam, false)
        : undefined;
    const moves = homeTeamId !== undefined && homeTeamId !== current.homeTeamId;
    if (!provisioningMayChange(current)) {
      if (reactivates || updates || reidentifies || moves || deactivates) throw adminOutOfReach();
      return;
    }
    if (reactivates) await this.people.reactivateIn(tx, { employeeId });
    if (updates) await this.people.updateIn(tx, { employeeId, ...update });
    await this.people.setDirectoryIdentity(tx, employeeId, identity);
    if (moves) await this.people.moveIn(tx, { employeeId, homeTeamId });
    if (deactivates) await this.leavers.deactivateIn(tx, { employeeId }, client.createdById);
  }

  /**
   * The team a home-team attribute names (an active team of that name, any case), else the
   * configured default team. On create a team is needed (400 invalidValue saying how to fix it);
   * on update an unknown name leaves the person where they are.
   */
  private async homeTeamId(
    tx: Tx,
    name: string | undefined,
    required: boolean,
  ): Promise<string | undefined> {
    const named = name ? await this.directory.teamIdNamed(name, tx) : undefined;
    if (named) return named;
    const fallback = this.config.scim.defaultTeam;
    const byDefault = fallback ? await this.directory.teamIdNamed(fallback, tx) : undefined;
    if (byDefault || !required) return byDefault;
    throw invalidValue(
      name
        ? `No active team is named "${name}" (the user's ${this.attribute}): create it, or set SCIM_DEFAULT_TEAM`
        : `The user has no ${this.attribute} naming their home team, and SCIM_DEFAULT_TEAM is not set`,
    );
  }

  private audit(tx: Tx, action: string, employeeId: string, client: ScimToken): Promise<void> {
    return tx.record({
      action,
      subjectType: 'Employee',
      subjectId: employeeId,
      payload: { scimTokenId: client.id, scimTokenName: client.name },
    });
  }
}

/** The PatchOp body's operations (RFC 7644 §3.5.2); 400 invalidSyntax when it is not one. */
export function patchOperationsOf(body: unknown): ScimPatchOperation[] {
  const operations = (body as { Operations?: unknown } | null)?.Operations;
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > 100) {
    throw invalidSyntax('A PatchOp body with 1 to 100 Operations is required');
  }
  return operations.map((operation: unknown) => {
    const op = (operation as { op?: unknown } | null)?.op;
    if (typeof op !== 'string' || !/^(add|remove|replace)$/i.test(op)) {
      throw invalidSyntax('Each operation needs an op: add, remove or replace');
    }
    const { path, value } = operation as { path?: unknown; value?: unknown };
    if (path !== undefined && typeof path !== 'string') throw invalidPath('path must be a string');
    if (typeof path === 'string' && reachesPrototype(path.split(/[.[\]:\s]+/))) {
      throw invalidPath(`Unsupported path: ${path}`);
    }
    if (holdsPrototypeKey(value))
      throw invalidValue('The value names no attribute of a SCIM resource');
    return { ...(operation as object), op: op.toLowerCase() } as ScimPatchOperation;
  });
}

/**
 * Names that walk from an object to its prototype. scim-patch follows paths and value keys
 * blindly, so `__proto__.x` or `constructor.prototype.x` would write into Object.prototype of the
 * whole process: refused before it sees them.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const reachesPrototype = (keys: string[]): boolean =>
  keys.some((key) => PROTOTYPE_KEYS.has(key.trim().toLowerCase()));

/** Whether a value (JSON from the request, so finite and acyclic) has such a key, at any depth. */
function holdsPrototypeKey(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    const keys = Object.keys(next);
    if (reachesPrototype(keys.flatMap((key) => key.split(/[.:]/)))) return true;
    pending.push(...Object.values(next));
  }
  return false;
}

/**
 * The patched representation with its name taken from whichever name attribute the operations
 * changed: a new displayName or name.formatted wins over the given and family names they left.
 */
function renamed(before: Json, after: Json): Json {
  const name = (after.name ?? {}) as Json;
  const was = (before.name ?? {}) as Json;
  const parts = name.givenName !== was.givenName || name.familyName !== was.familyName;
  if (parts) return after;
  if (name.formatted !== was.formatted && typeof name.formatted === 'string') {
    return { ...after, name: { formatted: name.formatted } };
  }
  if (after.displayName !== before.displayName) return { ...after, name: {} };
  return after;
}
