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

/**
 * Logged hours under the buyer's review: PENDING until the buyer approves them (or the review
 * window passes: APPROVED, paid) or disputes them (DISPUTED), and a dispute ends APPROVED (paid)
 * or REFUNDED (never paid; the credits go back to the buyer).
 */
export enum TimeLogStatus {
  PENDING = 'PENDING',
  DISPUTED = 'DISPUTED',
  APPROVED = 'APPROVED',
  REFUNDED = 'REFUNDED',
}

/**
 * OPEN (the buyer disputed hours) → CONCEDED (the worker accepts: refunded) or CONTESTED (the
 * worker disagrees) → PAID / REFUNDED (an admin decides).
 */
export enum DisputeStatus {
  OPEN = 'OPEN',
  CONTESTED = 'CONTESTED',
  CONCEDED = 'CONCEDED',
  PAID = 'PAID',
  REFUNDED = 'REFUNDED',
}

/** An admin's decision on a contested dispute. */
export enum DisputeDecision {
  PAY = 'PAY',
  REFUND = 'REFUND',
}
