import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { AccountKind, TransferKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import type { Transfer } from '../ledger/models/ledger.models.js';
import { badInput } from '../../common/errors/domain-error.js';
import { TeamService } from '../team/team.service.js';
import type { AllocateCreditsInput } from './dto/allocate-credits.input.js';
import type { TransferCreditsInput } from './dto/transfer-credits.input.js';

/** Team budgets: credits issued to teams. */
@Injectable()
export class BudgetService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly ledger: LedgerService,
    private readonly teams: TeamService,
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
        await this.teams.lockActive(tx, input.teamId, 'teamId', 'SHARE');
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

  /**
   * TEAM → TEAM (ADMIN_TRANSFER), e.g. to empty a team before it is archived. The paying team
   * may be archived (what reaches it afterwards can still be moved out); the receiving one may
   * not (CONFLICT on toTeamId). More than the paying team holds is INSUFFICIENT_FUNDS. Audited
   * on the paying team with the reason.
   */
  async transferCredits(input: TransferCreditsInput, actor: Pick<Actor, 'id'>): Promise<Transfer> {
    if (input.fromTeamId === input.toTeamId) {
      throw badInput('toTeamId', 'toTeamId: the credits must go to another team');
    }
    const request = { ...input, idempotencyKey: undefined };
    return this.unitOfWork.run(
      {
        actor,
        idempotency: {
          operation: 'transferCredits',
          key: input.idempotencyKey,
          request,
          remember: (transfer) => ({ transferId: transfer.id }),
          replay: (tx, { transferId }) => this.ledger.transferById(tx, transferId),
        },
      },
      async (tx) => {
        // Team rows in id order, so two opposite transfers never wait on each other.
        for (const [teamId, field] of [
          [input.fromTeamId, 'fromTeamId'],
          [input.toTeamId, 'toTeamId'],
        ].sort(([a], [b]) => a.localeCompare(b))) {
          if (field === 'toTeamId') await this.teams.lockActive(tx, teamId, field, 'SHARE');
          else await this.teams.lock(tx, teamId, field);
        }
        const transfer = await this.ledger.transfer(tx, {
          fromAccountId: await this.ledger.accountIdOf(
            tx,
            AccountKind.TEAM,
            input.fromTeamId,
            'fromTeamId',
          ),
          toAccountId: await this.ledger.accountIdOf(
            tx,
            AccountKind.TEAM,
            input.toTeamId,
            'toTeamId',
          ),
          amount: input.amount,
          kind: TransferKind.ADMIN_TRANSFER,
          idempotencyKey: input.idempotencyKey,
          memo: input.reason,
        });
        await tx.record({
          action: 'ledger.transfer',
          subjectType: 'Team',
          subjectId: input.fromTeamId,
          payload: {
            toTeamId: input.toTeamId,
            amount: input.amount,
            reason: input.reason,
            transferId: transfer.id,
          },
        });
        return transfer;
      },
    );
  }
}
