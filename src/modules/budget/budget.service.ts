import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import type { AllocateCreditsInput } from './dto/allocate-credits.input.js';

/** Team budgets: credits issued to teams. */
@Injectable()
export class BudgetService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ledger: LedgerService,
  ) {}

  /** ISSUANCE → TEAM. */
  async allocateCredits(
    input: AllocateCreditsInput,
    actor: Pick<Actor, 'id'> | null,
  ): Promise<Transfer> {
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'allocateCredits',
          key: input.idempotencyKey,
          request: { teamId: input.teamId, amount: input.amount, memo: input.memo ?? null },
          remember: (transfer) => ({ transferId: transfer.id }),
          replay: (tx, { transferId }) => this.ledger.transferById(tx, transferId),
        },
      },
      async (tx) => {
        const teamAccount = await this.ledger.accountIdOf(
          tx,
          AccountKind.TEAM,
          input.teamId,
          'teamId',
        );
        const transfer = await this.ledger.transfer(tx, {
          fromAccountId: await this.ledger.issuanceAccountId(tx),
          toAccountId: teamAccount,
          amount: input.amount,
          kind: TransferKind.ALLOCATION,
          idempotencyKey: input.idempotencyKey,
          memo: input.memo,
        });
        await tx.record({
          action: 'ledger.allocate',
          subjectType: 'Team',
          subjectId: input.teamId,
          payload: { amount: input.amount, transferId: transfer.id, memo: input.memo ?? null },
        });
        return transfer;
      },
    );
  }
}
