import { parse, type Filter } from 'scim2-parse-filter';
import { SCHEMA } from './scim-schemas.js';
import { invalidFilter } from './scim-error.js';

/** One `attribute eq value` a list is narrowed by; a filter is all of them (`and`). */
export interface Condition<A extends string> {
  attribute: A;
  value: string | boolean;
}

export type UserAttribute = 'id' | 'userName' | 'externalId' | 'email' | 'displayName' | 'active';
export type GroupAttribute = 'id' | 'displayName' | 'externalId' | 'member';

/** The attribute paths a client may filter on (any case, with or without the schema URN). */
const USER_PATHS: Record<string, UserAttribute> = {
  id: 'id',
  username: 'userName',
  externalid: 'externalId',
  emails: 'email',
  'emails.value': 'email',
  displayname: 'displayName',
  active: 'active',
};
const GROUP_PATHS: Record<string, GroupAttribute> = {
  id: 'id',
  displayname: 'displayName',
  externalid: 'externalId',
  'members.value': 'member',
};

const MAX_FILTER_LENGTH = 1000;

/**
 * The filters identity providers send (RFC 7644 §3.4.2.2): `eq` on the attributes above, joined
 * by `and` (Okta: `userName eq "…"`; Entra: `externalId eq "…"`, and for groups
 * `id eq "…" and members[value eq "…"]`). Anything else is 400 invalidFilter, saying what is
 * supported, rather than a wrong answer.
 */
function conditions<A extends string>(
  text: string | undefined,
  paths: Record<string, A>,
  resource: string,
  schema: string,
): Condition<A>[] {
  if (text === undefined || text.trim() === '') return [];
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter('The filter is too long');
  let filter: Filter;
  try {
    filter = parse(text);
  } catch {
    throw invalidFilter(`The filter is not valid SCIM filter syntax: ${text}`);
  }
  const supported = Object.keys(paths).join(', ');
  const refuse = () =>
    invalidFilter(`${resource} filters support "eq" on ${supported}, joined by "and"`);
  const walk = (node: Filter): Condition<A>[] => {
    if (node.op === 'and') return node.filters.flatMap(walk);
    if (node.op === '[]') {
      // members[value eq "…"] is members.value eq "…".
      const inner = node.valFilter;
      if (inner.op !== 'eq' || inner.attrPath.toLowerCase() !== 'value') throw refuse();
      return walk({ ...inner, attrPath: `${node.attrPath}.value` });
    }
    if (node.op !== 'eq') throw refuse();
    let path = node.attrPath.toLowerCase();
    for (const urn of [schema, SCHEMA.enterpriseUser]) {
      if (path.startsWith(`${urn.toLowerCase()}:`)) path = path.slice(urn.length + 1);
    }
    const attribute = paths[path];
    const value = node.compValue;
    if (!attribute || value === null || typeof value === 'number') throw refuse();
    if (attribute === 'active') {
      // true or false (Entra sends "False"); anything else PostgreSQL would read its own way.
      if (typeof value === 'boolean') return [{ attribute, value }];
      if (!/^(true|false)$/i.test(value)) throw invalidFilter('active compares with true or false');
      return [{ attribute, value: value.toLowerCase() === 'true' }];
    }
    return [{ attribute, value: String(value) }];
  };
  return walk(filter);
}

export const userConditions = (text: string | undefined): Condition<UserAttribute>[] =>
  conditions(text, USER_PATHS, 'User', SCHEMA.user);

export const groupConditions = (text: string | undefined): Condition<GroupAttribute>[] =>
  conditions(text, GROUP_PATHS, 'Group', SCHEMA.group);
