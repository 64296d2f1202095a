import { parse } from 'scim2-parse-filter';
import type { ScimPatchOperation } from 'scim-patch';
import type { DirectoryGroup, DirectoryMember } from './scim-directory.repository.js';
import { invalidPath, invalidValue } from './scim-error.js';
import { SCHEMA } from './scim-schemas.js';

type Json = Record<string, unknown>;

/** What a Group is made of here: a team's name, the directory's id for it, its members. */
export interface GroupState {
  name: string;
  externalId: string | null;
  /** Employee ids; undefined: membership is left as it is (a PUT without members). */
  members?: Set<string>;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function nameOf(value: unknown): string {
  if (typeof value !== 'string' || !value.trim()) throw invalidValue('displayName is required');
  if (value.trim().length > 120) throw invalidValue('displayName is longer than 120 characters');
  return value.trim();
}

function externalIdOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 255) {
    throw invalidValue('externalId must be a string of up to 255 characters');
  }
  return value;
}

/** `[{ value: "<employee id>" }, …]` (a single object is taken as a list of one). */
function memberIdsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 1000) throw invalidValue('At most 1000 members at a time');
  return list.map((member) => {
    if (!isObject(member) || typeof member.value !== 'string') {
      throw invalidValue('Each member needs a value: the id of a User');
    }
    return member.value;
  });
}

/** A Group body (POST, PUT). */
export function groupStateOf(body: unknown): GroupState {
  if (!isObject(body)) throw invalidValue('The body must be a SCIM Group object');
  return {
    name: nameOf(body.displayName),
    externalId: externalIdOf(body.externalId),
    ...(body.members === undefined || body.members === null
      ? {}
      : { members: new Set(memberIdsOf(body.members)) }),
  };
}

/** The id a `members[value eq "…"]` path names. */
function memberFilterId(path: string): string {
  const inner = /^members\[(.*)\]$/i.exec(path)?.[1];
  if (inner === undefined) throw invalidPath(`Unsupported path: ${path}`);
  try {
    const filter = parse(inner);
    if (filter.op === 'eq' && filter.attrPath.toLowerCase() === 'value') {
      return String(filter.compValue);
    }
  } catch {
    // Falls through to the refusal below.
  }
  throw invalidPath(`Unsupported member filter: ${path} (use members[value eq "<id>"])`);
}

/**
 * The group after the PATCH operations (RFC 7644 §3.5.2) as Okta and Entra send them: add,
 * remove or replace of members (with a value list, or a `members[value eq "…"]` path), of
 * displayName and externalId, and path-less replace/add with an object of attributes.
 */
export function patchedGroup(current: GroupState, operations: ScimPatchOperation[]): GroupState {
  const next: GroupState = { ...current, members: new Set(current.members) };
  const members = next.members!;
  const set = (attribute: string, op: string, value: unknown) => {
    switch (attribute.toLowerCase()) {
      case 'displayname':
        if (op === 'remove') throw invalidValue('displayName is required');
        next.name = nameOf(value);
        return;
      case 'externalid':
        next.externalId = op === 'remove' ? null : externalIdOf(value);
        return;
      case 'members':
        if (op === 'replace' || (op === 'remove' && (value === undefined || value === null))) {
          members.clear();
        }
        if (value === undefined || value === null) return;
        for (const id of memberIdsOf(value)) {
          if (op === 'remove') members.delete(id);
          else members.add(id);
        }
        return;
      case 'id':
      case 'schemas':
      case 'meta':
        // Entra repeats the id in path-less replaces; it cannot change.
        return;
      default:
        throw invalidPath(`Unsupported attribute: ${attribute}`);
    }
  };
  for (const operation of operations) {
    const { op } = operation;
    const path = operation.path?.trim();
    const value = (operation as { value?: unknown }).value;
    if (!path) {
      if (op === 'remove' || !isObject(value)) {
        throw invalidPath(`A ${op} without a path needs an object of attributes as its value`);
      }
      for (const [attribute, attributeValue] of Object.entries(value)) {
        set(attribute, op, attributeValue);
      }
    } else if (/^members\[/i.test(path)) {
      if (op !== 'remove') throw invalidPath('Only remove takes a member filter');
      members.delete(memberFilterId(path));
    } else {
      set(path.replace(`${SCHEMA.group}:`, ''), op, value);
    }
  }
  return next;
}

/** The team as a SCIM Group (RFC 7643 §4.2); without members when the client excluded them. */
export function scimGroupOf(
  group: DirectoryGroup,
  members: DirectoryMember[] | undefined,
  base: string,
): Json {
  return {
    schemas: [SCHEMA.group],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.name,
    ...(members
      ? {
          members: members.map((member) => ({
            value: member.id,
            display: member.name,
            $ref: `${base}/Users/${member.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      location: `${base}/Groups/${group.id}`,
    },
  };
}
