import { SetMetadata } from '@nestjs/common';
import { isAnyLead, isLeadOf, isMemberOf, type Actor } from './actor.js';

export const IS_PUBLIC = 'mbd:isPublic';
export const ACCESS_RULES = 'mbd:accessRules';

/** A resolver's arguments, as GraphQL passed them (`{ input: {...} }`, `{ id }`...). */
export type ResolverArgs = Record<string, unknown>;
type PickId = (args: ResolverArgs) => unknown;

/** One way of being allowed to call an operation; an operation lists the ways it accepts. */
export type AccessRule =
  | { kind: 'admin' }
  | { kind: 'anyLead' }
  | { kind: 'leadOf'; team: PickId }
  | { kind: 'memberOf'; team: PickId }
  | { kind: 'self'; employee: PickId };

export const Allow = {
  admin: { kind: 'admin' } as AccessRule,
  /** A lead of any team (e.g. Zappos' open books: leads see every team's ledger). */
  anyLead: { kind: 'anyLead' } as AccessRule,
  leadOf: (team: PickId): AccessRule => ({ kind: 'leadOf', team }),
  memberOf: (team: PickId): AccessRule => ({ kind: 'memberOf', team }),
  self: (employee: PickId): AccessRule => ({ kind: 'self', employee }),
};

/** `input.teamId`-style path into the arguments. */
export const arg =
  (path: string): PickId =>
  (args) =>
    path
      .split('.')
      .reduce<unknown>((value, key) => (value as ResolverArgs | undefined)?.[key], args);

export function allows(rule: AccessRule, actor: Actor, args: ResolverArgs): boolean {
  switch (rule.kind) {
    case 'admin':
      return actor.isAdmin;
    case 'anyLead':
      return isAnyLead(actor);
    case 'leadOf': {
      const team = rule.team(args);
      return typeof team === 'string' && isLeadOf(actor, team);
    }
    case 'memberOf': {
      const team = rule.team(args);
      return typeof team === 'string' && isMemberOf(actor, team);
    }
    case 'self':
      return rule.employee(args) === actor.id;
  }
}

/** Anyone, signed in or not (login, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/**
 * Who may call the operation: any one of the rules suffices. Without this decorator any
 * signed-in employee may; object-level rules (whose draft, whose bid) live in the services.
 */
export const Access = (...rules: AccessRule[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_RULES, rules);

export const AdminOnly = (): MethodDecorator & ClassDecorator => Access(Allow.admin);
