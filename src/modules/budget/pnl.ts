import type { FlowByKind } from '../ledger/account-flow.service.js';
import { TransferKind } from '../ledger/ledger.enums.js';

/** A budget's movements: the team P&L of issue #5 and DESIGN.md's money flows. */
export interface Pnl {
  allocated: number;
  earned: number;
  spent: number;
  pledged: number;
  refunded: number;
  net: number;
}

/**
 * allocated + earned − spent − pledged + refunded = net change of the balance, where spent is
 * escrow deposited for needs minus escrow returned, and refunded covers pledges given back
 * and initiative budgets returned.
 */
export function pnlOf(flows: FlowByKind): Pnl {
  const into = (kind: TransferKind) => flows[kind]?.in ?? 0;
  const outOf = (kind: TransferKind) => flows[kind]?.out ?? 0;
  const allocated = into(TransferKind.ALLOCATION);
  const earned = into(TransferKind.TIME_PAYMENT);
  const spent = outOf(TransferKind.ESCROW_DEPOSIT) - into(TransferKind.ESCROW_RETURN);
  const pledged = outOf(TransferKind.PLEDGE);
  const refunded = into(TransferKind.PLEDGE_REFUND) + into(TransferKind.INITIATIVE_REFUND);
  return {
    allocated,
    earned,
    spent,
    pledged,
    refunded,
    net: allocated + earned - spent - pledged + refunded,
  };
}

export function addPnl(a: Pnl, b: Pnl): Pnl {
  return {
    allocated: a.allocated + b.allocated,
    earned: a.earned + b.earned,
    spent: a.spent + b.spent,
    pledged: a.pledged + b.pledged,
    refunded: a.refunded + b.refunded,
    net: a.net + b.net,
  };
}

export const ZERO_PNL: Pnl = { allocated: 0, earned: 0, spent: 0, pledged: 0, refunded: 0, net: 0 };
