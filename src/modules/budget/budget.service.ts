import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { IdempotencyService } from '../../common/idempotency/idempotency.service.js';
import { Transactions } from '../../database/transactions.js';
import { AuditService } from '../audit/audit.service.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { TransferEntity } from '../ledger/transfer.entity.js';
import type { AllocateCreditsInput } from './dto/allocate-credits.input.js';

/** Team budgets: credits issued to teams. */
@Injectable()
export class BudgetService {
  constructor(
    private readonly transactions: Transactions,
    private readonly ledger: LedgerService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  /** ISSUANCE → TEAM. */
  async allocateCredits(
    input: AllocateCreditsInput,
    actor: Pick<Actor, 'id'> | null,
  ): Promise<TransferEntity> {
    return this.transactions.run((manager) =>
      this.idempotency.once(
        manager,
        {
          actorId: actor?.id ?? SYSTEM_ACTOR,
          key: input.idempotencyKey,
          operation: 'allocateCredits',
          request: { teamId: input.teamId, amount: input.amount, memo: input.memo ?? null },
        },
        {
          run: async () => {
            const teamAccount = await this.ledger.accountOf(
              manager,
              AccountKind.TEAM,
              input.teamId,
              'input.teamId',
            );
            const transfer = await this.ledger.transfer(manager, {
              fromAccountId: await this.ledger.issuanceAccount(manager),
              toAccountId: teamAccount,
              amount: input.amount,
              kind: TransferKind.ALLOCATION,
              idempotencyKey: input.idempotencyKey,
              memo: input.memo,
            });
            await this.audit.record(manager, {
              actorId: actor?.id ?? null,
              action: 'ledger.allocate',
              subjectType: 'Team',
              subjectId: input.teamId,
              payload: { amount: input.amount, transferId: transfer.id, memo: input.memo ?? null },
            });
            return transfer;
          },
          remember: (transfer) => ({ transferId: transfer.id }),
          replay: ({ transferId }) => this.ledger.transferById(manager, transferId),
        },
      ),
    );
  }
}

/** Idempotency keys of the system's own work (seeding) live under this actor id. */
const SYSTEM_ACTOR = '00000000-0000-0000-0000-000000000000';
