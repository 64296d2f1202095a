import { isAnyLead, isMemberOf, type Actor } from '../../common/auth/actor.js';
import { Allow, arg, type AccessRule } from '../../common/auth/access.js';

/**
 * Open books, as at Zappos: admins and every team lead see every team's books; members see
 * their own team's.
 */
export const canReadTeamBooks = (actor: Actor, teamId: string): boolean =>
  actor.isAdmin || isAnyLead(actor) || isMemberOf(actor, teamId);

/** The same rule for operations that name the team in their arguments. */
export const teamBooksRules = (teamIdPath: string): AccessRule[] => [
  Allow.admin,
  Allow.anyLead,
  Allow.memberOf(arg(teamIdPath)),
];
