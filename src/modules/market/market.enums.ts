/** DESIGN.md: OPEN → FILLED (all hours accepted) / CLOSED / CANCELLED. */
export enum NeedStatus {
  OPEN = 'OPEN',
  FILLED = 'FILLED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}

/** Who pays for a need: a team, or (with the ideas feature) an initiative. */
export enum BuyerKind {
  TEAM = 'TEAM',
  INITIATIVE = 'INITIATIVE',
}

/** DESIGN.md: PENDING → ACCEPTED / REJECTED / WITHDRAWN. */
export enum BidStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}

/** An accepted bid's work: ACTIVE until fully logged (COMPLETED) or its need is closed (ENDED). */
export enum EngagementStatus {
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  ENDED = 'ENDED',
}
