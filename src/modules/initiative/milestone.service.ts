import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import {
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { AddMilestoneInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { MAX_MILESTONES_PER_INITIATIVE } from './initiative-limits.js';
import { isParticipant } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MilestoneRepository } from './milestone.repository.js';
import type { Milestone } from './models/initiative.models.js';

/** An initiative's plan: milestones added and completed by its owner and members. */
@Injectable()
export class MilestoneService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly milestones: MilestoneRepository,
    private readonly changes: InitiativeChanges,
  ) {}

  /** Milestones are counted under the initiative's row lock: it never passes its maximum. */
  addMilestone(input: AddMilestoneInput, actor: Actor): Promise<Milestone> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiative = await this.initiatives.lock(
        tx,
        input.initiativeId,
        'NO KEY UPDATE',
        'initiativeId',
      );
      if (!isParticipant(actor, initiative))
        throw forbidden("Only the initiative's owner and members plan it");
      assertActive(initiative);
      const milestone = await this.milestones.addWithinLimit(
        tx,
        { initiativeId: initiative.id, title: input.title, dueDate: input.dueDate ?? null },
        MAX_MILESTONES_PER_INITIATIVE,
      );
      if (!milestone) {
        throw conflict(
          `The initiative has ${MAX_MILESTONES_PER_INITIATIVE} milestones already, the most it takes`,
          'initiativeId',
        );
      }
      await tx.record({
        action: 'initiative.addMilestone',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { milestoneId: milestone.id, title: input.title, dueDate: input.dueDate ?? null },
      });
      tx.afterCommit(() => this.changes.announce(input.initiativeId));
      return milestone;
    });
  }

  completeMilestone(milestoneId: string, actor: Actor): Promise<Milestone> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.milestones.initiativeIdOf(tx, milestoneId);
      if (!initiativeId) throw notFound('Milestone', 'milestoneId');
      const initiative = await this.initiatives.lock(tx, initiativeId, 'SHARE');
      if (!isParticipant(actor, initiative))
        throw forbidden("Only the initiative's owner and members complete milestones");
      assertActive(initiative);
      const milestone = await this.milestones.complete(tx, milestoneId, actor.id);
      if (!milestone) throw invalidTransition('The milestone is already complete');
      await tx.record({
        action: 'initiative.completeMilestone',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { milestoneId },
      });
      tx.afterCommit(() => this.changes.announce(milestone.initiativeId));
      return milestone;
    });
  }
}
