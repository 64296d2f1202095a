/** Who owns the credits in an account (DESIGN.md, "Ledger"). */
export enum AccountKind {
  ISSUANCE = 'ISSUANCE',
  TEAM = 'TEAM',
  IDEA_ESCROW = 'IDEA_ESCROW',
  INITIATIVE = 'INITIATIVE',
  NEED_ESCROW = 'NEED_ESCROW',
}

/** Why credits moved (DESIGN.md, "Money flows"). */
export enum TransferKind {
  /** allocateCredits: ISSUANCE → TEAM */
  ALLOCATION = 'ALLOCATION',
  /** pledgeToIdea: TEAM → IDEA_ESCROW */
  PLEDGE = 'PLEDGE',
  /** rejectIdea / withdrawIdea: IDEA_ESCROW → TEAM */
  PLEDGE_REFUND = 'PLEDGE_REFUND',
  /** approveIdea: IDEA_ESCROW → INITIATIVE */
  INITIATIVE_FUNDING = 'INITIATIVE_FUNDING',
  /** completeInitiative / cancelInitiative: INITIATIVE → TEAM, pro rata */
  INITIATIVE_REFUND = 'INITIATIVE_REFUND',
  /** acceptBid: buyer → NEED_ESCROW */
  ESCROW_DEPOSIT = 'ESCROW_DEPOSIT',
  /**
   * Approved hours (by the buyer, automatically when the review window ends, or by an admin's
   * decision on a dispute): NEED_ESCROW → the worker's home team at the time of the work
   */
  TIME_PAYMENT = 'TIME_PAYMENT',
  /** Disputed hours the worker concedes or an admin refunds: NEED_ESCROW → buyer */
  TIME_REFUND = 'TIME_REFUND',
  /** closeNeed and friends: NEED_ESCROW → buyer */
  ESCROW_RETURN = 'ESCROW_RETURN',
  /** transferCredits (admin): TEAM → TEAM, e.g. emptying a team before it is archived */
  ADMIN_TRANSFER = 'ADMIN_TRANSFER',
}
