import { AccountKind } from '../ledger/ledger.enums.js';
import type { KindBalance } from '../ledger/ledger.service.js';

/** The books as a whole, from each kind's balances read at one moment. */
export interface BooksTotals {
  byKind: KindBalance[];
  /** Credits issued so far: the ISSUANCE account's balance, negated. */
  issued: number;
  /** What every other account holds together: `issued` while the books balance. */
  held: number;
  /** Every balance summed, ISSUANCE included: 0 while the books balance. */
  sum: number;
}

/**
 * The totals an auditor checks: every credit comes from ISSUANCE, so what the other accounts
 * hold equals what was issued and the sum of all balances is 0 (DESIGN.md invariant 1).
 */
export function booksTotalsOf(kinds: readonly KindBalance[]): BooksTotals {
  const byKind = Object.values(AccountKind).map(
    (kind) => kinds.find((k) => k.kind === kind) ?? { kind, accountCount: 0, balance: 0 },
  );
  const issuance = byKind.find((k) => k.kind === AccountKind.ISSUANCE)!.balance;
  const held = byKind
    .filter((k) => k.kind !== AccountKind.ISSUANCE)
    .reduce((total, k) => total + k.balance, 0);
  return { byKind, issued: -issuance, held, sum: held + issuance };
}
