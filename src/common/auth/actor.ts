/** The signed-in employee a request acts for, loaded fresh from the database per request. */
export interface Actor {
  readonly id: string;
  readonly isAdmin: boolean;
  readonly homeTeamId: string;
  /** Teams this employee leads. */
  readonly leadOf: ReadonlySet<string>;
  /** Teams this employee belongs to in any role, the home team included. */
  readonly memberOf: ReadonlySet<string>;
  /** Initiatives this employee owns (active or not). */
  readonly ownsInitiatives: ReadonlySet<string>;
  /** Initiatives this employee is an active member of. */
  readonly memberOfInitiatives: ReadonlySet<string>;
}

export const isLeadOf = (actor: Actor, teamId: string): boolean => actor.leadOf.has(teamId);
export const isMemberOf = (actor: Actor, teamId: string): boolean => actor.memberOf.has(teamId);
export const isAnyLead = (actor: Actor): boolean => actor.leadOf.size > 0;
