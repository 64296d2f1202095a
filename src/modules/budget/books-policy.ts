import { isAnyLead, isMemberOf, type Actor } from '../../common/auth/actor.js';
import { Allow, arg, type AccessRule } from '../../common/auth/access.js';
import { AccountKind } from '../ledger/ledger.enums.js';

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

/**
 * An account's balance, open as its owner's own balance is: a team's under the open-books rule
 * (Team.balance); an idea's, a need's or an initiative's to everyone, as Idea.escrowBalance,
 * Need.escrowBalance and Initiative.balance are; ISSUANCE's (what was issued) to admins, who
 * see every account.
 */
export function canReadAccountBalance(
  actor: Actor,
  account: { kind: AccountKind; ownerId: string | null },
): boolean {
  if (actor.isAdmin) return true;
  switch (account.kind) {
    case AccountKind.TEAM:
      return account.ownerId !== null && canReadTeamBooks(actor, account.ownerId);
    case AccountKind.ISSUANCE:
      return false;
    case AccountKind.IDEA_ESCROW:
    case AccountKind.INITIATIVE:
    case AccountKind.NEED_ESCROW:
      return true;
  }
}
