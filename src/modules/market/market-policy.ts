import type { Actor } from '../../common/auth/actor.js';
import { BuyerKind, NeedStatus } from './market.enums.js';

export interface BuyerRef {
  buyerKind: BuyerKind;
  buyerId: string;
}

/** The buyers an actor acts for, as data: what a repository filters lists by. */
export interface BuyerScope {
  /** Teams the actor leads. */
  teamIds: string[];
  /** Initiatives the actor owns. */
  initiativeIds: string[];
}

/**
 * Who acts for a need's buyer: a lead of the buying team, or the owner of the buying
 * initiative. Every market decision and every view of others' bids goes through these.
 */
export function actsForBuyer(actor: Actor, need: BuyerRef): boolean {
  switch (need.buyerKind) {
    case BuyerKind.TEAM:
      return actor.leadOf.has(need.buyerId);
    case BuyerKind.INITIATIVE:
      return actor.ownsInitiatives.has(need.buyerId);
  }
}

/**
 * `actsForBuyer` for every need at once: the buyers the actor acts for. A list filtered by
 * what the actor may see keeps the needs whose buyer is in this scope (the repository says
 * it in SQL).
 */
export function buyerScope(actor: Actor): BuyerScope {
  return { teamIds: [...actor.leadOf], initiativeIds: [...actor.ownsInitiatives] };
}

/**
 * The buying side may not bid on its own needs: a team's members on the team's needs, an
 * initiative's owner and members on the initiative's.
 */
export function isOnBuyingSide(actor: Actor, need: BuyerRef): boolean {
  switch (need.buyerKind) {
    case BuyerKind.TEAM:
      return actor.memberOf.has(need.buyerId);
    case BuyerKind.INITIATIVE:
      return actor.ownsInitiatives.has(need.buyerId) || actor.memberOfInitiatives.has(need.buyerId);
  }
}

/** Only the bidder withdraws their bid. */
export function mayWithdraw(actor: Actor, bid: { bidderId: string }): boolean {
  return bid.bidderId === actor.id;
}

/** Only the engaged employee logs time on an engagement. */
export function mayLogTime(actor: Actor, engagement: { employeeId: string }): boolean {
  return engagement.employeeId === actor.id;
}

/** An engagement is seen by the engaged employee and by those who act for the need's buyer. */
export function maySeeEngagement(
  actor: Actor,
  engagement: { employeeId: string },
  need: BuyerRef,
): boolean {
  return engagement.employeeId === actor.id || actsForBuyer(actor, need);
}

/** A person's bids and engagements are private to that person. */
export function maySeeMarketActivityOf(actor: Actor, employeeId: string): boolean {
  return employeeId === actor.id;
}

/** Hours a week a need still wants filled. */
export function remainingHoursPerWeek(need: {
  hoursPerWeek: number;
  acceptedHoursPerWeek: number;
}): number {
  return need.hoursPerWeek - need.acceptedHoursPerWeek;
}

/**
 * Those who act for the need's buyer review its engagements' timesheets, except the engaged
 * employee: nobody approves (or disputes) their own hours, even as a lead of the buying team.
 */
export function mayReviewTimesheets(
  actor: Actor,
  need: BuyerRef,
  engagement: { employeeId: string },
): boolean {
  return actsForBuyer(actor, need) && engagement.employeeId !== actor.id;
}

/**
 * Those who act for the need's buyer accept its bids, but never their own (a bidder who has
 * become a lead of the buying team since bidding).
 */
export function mayAcceptBid(actor: Actor, need: BuyerRef, bid: { bidderId: string }): boolean {
  return actsForBuyer(actor, need) && bid.bidderId !== actor.id;
}

/** Only the engaged employee concedes or contests a dispute of their hours. */
export function mayAnswerDispute(actor: Actor, engagement: { employeeId: string }): boolean {
  return engagement.employeeId === actor.id;
}

/**
 * Contested hours are decided by a third party: an admin (neither the buyer nor the worker).
 * An admin who is one of the two sides may not decide their own case; leading a team the
 * hours would be paid to (`payeeTeamIds`, the worker's home team when they were logged) makes
 * one the worker's side.
 */
export function mayDecideDispute(
  actor: Actor,
  engagement: { employeeId: string },
  need: BuyerRef,
  payeeTeamIds: readonly string[],
): boolean {
  return (
    actor.isAdmin &&
    engagement.employeeId !== actor.id &&
    !actsForBuyer(actor, need) &&
    !payeeTeamIds.some((teamId) => actor.leadOf.has(teamId))
  );
}

/**
 * A need's rate is a ceiling: no bid on it may ask more, so what it escrows never passes its
 * budget (hoursPerWeek × weeks × ratePerHour). Checked at placeBid and again at acceptBid.
 */
export function exceedsNeedRate(ratePerHour: number, need: { ratePerHour: number }): boolean {
  return ratePerHour > need.ratePerHour;
}

/** A need's rate only ever rises (so a bid that fit it when placed fits it for ever). */
export function raisesNeedRate(need: { ratePerHour: number }, ratePerHour: number): boolean {
  return ratePerHour > need.ratePerHour;
}

/** The organisation's ceiling on any rate a need offers or a bid asks. */
export function exceedsMarketMaximum(
  ratePerHour: number,
  settings: { maxRatePerHour: number },
): boolean {
  return ratePerHour > settings.maxRatePerHour;
}

/** The buyer edits a need's text and skills while it is OPEN and no bid has been accepted. */
export const isEditableNeed = (need: {
  status: NeedStatus;
  acceptedHoursPerWeek: number;
}): boolean => need.status === NeedStatus.OPEN && need.acceptedHoursPerWeek === 0;
