import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../common/graphql/connection.js';
import { CreditsScalar } from '../../common/graphql/credits.scalar.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount, Transfer } from '../ledger/models/ledger.models.js';

const ACCOUNT_KINDS = Object.keys(AccountKind).length;

@ObjectType()
export class LedgerAccountConnection extends Connection(LedgerAccount) {}

@ObjectType()
export class TransferConnection extends Connection(Transfer) {}

@ObjectType({ description: 'What the accounts of one kind hold together.' })
export class LedgerKindTotal {
  @Field(() => AccountKind)
  kind: AccountKind;

  @Field(() => Int)
  accountCount: number;

  @Field(() => CreditsScalar, {
    description: 'Their balances summed (negative only for ISSUANCE).',
  })
  balance: number;
}

@ObjectType({
  description:
    'The books as a whole, read at one moment: what each kind of account holds, what was issued, and the sum that shows they balance.',
})
export class LedgerTotals {
  @Field({ description: 'The moment the balances were read (all of them at once).' })
  asOf: Date;

  @Field(() => [LedgerKindTotal], {
    description: atMost(ACCOUNT_KINDS, 'One per account kind, ISSUANCE first, every kind listed.'),
  })
  @MaxItems(ACCOUNT_KINDS)
  byKind: LedgerKindTotal[];

  @Field(() => CreditsScalar, {
    description:
      "Credits issued so far (allocateCredits): the ISSUANCE account's balance, negated.",
  })
  issued: number;

  @Field(() => CreditsScalar, {
    description:
      'What every account but ISSUANCE holds together: teams, escrows and initiatives. Equal to issued while the books balance.',
  })
  held: number;

  @Field(() => CreditsScalar, {
    description:
      'Every balance summed, ISSUANCE included (held − issued): 0 while the books balance, as every transfer takes from one account what it gives another.',
  })
  sum: number;
}
