import type { Actor } from '../../common/auth/actor.js';
import { BuyerKind } from './market.enums.js';

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
