import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CreditsScalar } from '../../../common/graphql/credits.scalar.js';
import { AccountKind, TransferKind } from '../ledger.enums.js';

registerEnumType(AccountKind, {
  name: 'AccountKind',
  description: 'Who owns the credits in an account.',
});
registerEnumType(TransferKind, { name: 'TransferKind', description: 'Why credits moved.' });

@ObjectType({
  description: 'A ledger account: a team budget, an escrow, an initiative budget, or issuance.',
})
export class LedgerAccount {
  @Field(() => ID)
  id: string;

  @Field(() => AccountKind)
  kind: AccountKind;

  /** Resolved to the owning object by the modules that own those objects. */
  ownerId: string | null;

  /** Shown only where the open-books rule allows (Team.balance, TeamLedger.balance…). */
  balance: number;

  createdAt: Date;
}

@ObjectType({
  description: 'A movement of credits from one account to another. Never changed or removed.',
})
export class Transfer {
  @Field(() => ID)
  id: string;

  @Field(() => CreditsScalar, { description: 'Always positive.' })
  amount: number;

  @Field(() => TransferKind)
  kind: TransferKind;

  @Field(() => String, { nullable: true })
  memo: string | null;

  @Field()
  at: Date;

  /** Ledger order. */
  seq: number;
  fromAccountId: string;
  toAccountId: string;
  /** The client's key of the mutation that moved the credits, if it gave one. */
  idempotencyKey: string | null;
}

@ObjectType({ description: "A transfer as it appears on one account's statement." })
export class LedgerEntry {
  @Field(() => ID, { description: 'The id of the transfer.' })
  transferId: string;

  @Field(() => TransferKind)
  kind: TransferKind;

  @Field(() => CreditsScalar, {
    description: 'Positive when credits came in, negative when they went out.',
  })
  change: number;

  @Field(() => String, { nullable: true })
  memo: string | null;

  @Field()
  at: Date;

  /** The transfer's place in ledger order: a statement's cursor. */
  seq: number;
  counterpartyAccountId: string;
}
