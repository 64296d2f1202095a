import type { Actor } from '../../common/auth/actor.js';
import type { SqlParams } from '../../database/keyset.js';
import { BuyerKind } from './market.enums.js';

export interface BuyerRef {
  buyerKind: BuyerKind;
  buyerId: string;
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

/** `actsForBuyer` as SQL over a need aliased `n`, for lists filtered by what the actor may see. */
export function actsForBuyerSql(actor: Actor, params: SqlParams): string {
  const teams = params.add([...actor.leadOf]);
  const initiatives = params.add([...actor.ownsInitiatives]);
  return `((n.buyer_kind = 'TEAM' AND n.buyer_id = ANY(${teams}::uuid[]))
        OR (n.buyer_kind = 'INITIATIVE' AND n.buyer_id = ANY(${initiatives}::uuid[])))`;
}
