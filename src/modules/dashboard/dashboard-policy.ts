import { isAnyLead, type Actor } from '../../common/auth/actor.js';

/**
 * Open books: admins and team leads read every team's P&L; anyone else only the teams they
 * belong to.
 */
export const seesEveryTeamPnl = (actor: Actor): boolean => actor.isAdmin || isAnyLead(actor);

/** The teams whose P&L the actor may read; null for every team. */
export const pnlTeamsVisibleTo = (actor: Actor): string[] | null =>
  seesEveryTeamPnl(actor) ? null : [...actor.memberOf];
