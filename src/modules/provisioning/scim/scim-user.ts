import { isEmail } from 'class-validator';
import type { DirectoryUser } from './scim-directory.repository.js';
import { invalidValue } from './scim-error.js';
import { SCHEMA } from './scim-schemas.js';

/** Which enterprise-extension attribute names the home team (SCIM_HOME_TEAM_ATTRIBUTE). */
export type HomeTeamAttribute = 'department' | 'division' | 'organization' | 'costCenter';

/** What a SCIM User body says of an employee, checked. */
export interface UserFields {
  name: string;
  email: string;
  /** The directory's sign-in name when it differs from the e-mail, else null. */
  userName: string | null;
  /** undefined when the body leaves it out: the one the person has stays (PUT included). */
  externalId?: string | null;
  title: string;
  active: boolean;
  /** The home team's name, when the body names one. */
  homeTeam?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A string attribute: trimmed, at most `max` characters; undefined when absent or null. */
function text(value: unknown, attribute: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidValue(`${attribute} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length > max) throw invalidValue(`${attribute} is longer than ${max} characters`);
  return trimmed;
}

/**
 * A boolean as identity providers send it: Entra ID sends `"active": "False"` (a string, any
 * case) in PATCH requests, Okta a JSON boolean.
 */
export function booleanOf(value: unknown, attribute: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) {
    return value.trim().toLowerCase() === 'true';
  }
  throw invalidValue(`${attribute} must be true or false`);
}

/** The primary e-mail, else the first work one, else the first. */
function emailOf(emails: unknown): string | undefined {
  if (emails === undefined || emails === null) return undefined;
  if (!Array.isArray(emails)) throw invalidValue('emails must be a list');
  const values = emails.filter(isObject);
  const chosen =
    values.find((e) => booleanOf(e.primary, 'emails.primary')) ??
    values.find((e) => e.type === 'work') ??
    values[0];
  return chosen && text(chosen.value, 'emails.value', 254);
}

/** The person's name: given and family names joined, else the formatted name, else displayName. */
function nameOf(body: Json): string | undefined {
  const name = isObject(body.name) ? body.name : {};
  const parts = [
    text(name.givenName, 'name.givenName', 100),
    text(name.familyName, 'name.familyName', 100),
  ].filter((part): part is string => !!part);
  const joined = parts.join(' ');
  if (joined.length > 200) throw invalidValue('name is longer than 200 characters');
  return (
    joined ||
    text(name.formatted, 'name.formatted', 200) ||
    text(body.displayName, 'displayName', 200)
  );
}

/**
 * A User body (POST, PUT, or a PATCHed representation) as employee fields. userName is required;
 * the e-mail is the primary address, else userName when it is one (400 invalidValue if neither).
 */
export function userFieldsOf(body: unknown, homeTeamAttribute: HomeTeamAttribute): UserFields {
  if (!isObject(body)) throw invalidValue('The body must be a SCIM User object');
  const userName = text(body.userName, 'userName', 254);
  if (!userName) throw invalidValue('userName is required');
  const email = (emailOf(body.emails) || userName).toLowerCase();
  if (!isEmail(email)) {
    throw invalidValue('A work e-mail is required: give emails, or a userName that is an e-mail');
  }
  const name = nameOf(body) || userName;
  const extension = body[SCHEMA.enterpriseUser];
  const homeTeam = isObject(extension)
    ? text(extension[homeTeamAttribute], `${SCHEMA.enterpriseUser}:${homeTeamAttribute}`, 200)
    : undefined;
  return {
    name,
    email,
    userName: userName.toLowerCase() === email ? null : userName,
    ...(body.externalId === undefined
      ? {}
      : { externalId: text(body.externalId, 'externalId', 255) || null }),
    title: text(body.title, 'title', 200) ?? '',
    active: booleanOf(body.active, 'active') ?? true,
    ...(homeTeam ? { homeTeam } : {}),
  };
}

/** Splits a single stored name the way most directories hold it: family name last. */
function splitName(name: string): { givenName: string; familyName?: string } {
  const at = name.lastIndexOf(' ');
  return at > 0
    ? { givenName: name.slice(0, at), familyName: name.slice(at + 1) }
    : { givenName: name };
}

/** The employee as a SCIM User resource (RFC 7643 §4.1, with the enterprise extension). */
export function scimUserOf(
  user: DirectoryUser,
  base: string,
  homeTeamAttribute: HomeTeamAttribute,
): Json {
  return {
    schemas: [SCHEMA.user, SCHEMA.enterpriseUser],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.userName ?? user.email,
    name: { formatted: user.name, ...splitName(user.name) },
    displayName: user.name,
    ...(user.title ? { title: user.title } : {}),
    active: user.active,
    emails: [{ value: user.email, type: 'work', primary: true }],
    [SCHEMA.enterpriseUser]: { [homeTeamAttribute]: user.homeTeamName },
    meta: {
      resourceType: 'User',
      created: user.createdAt.toISOString(),
      location: `${base}/Users/${user.id}`,
    },
  };
}
