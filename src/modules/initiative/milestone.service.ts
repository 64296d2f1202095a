import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import {
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { AddMilestoneInput, AssignMilestoneInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { MAX_MILESTONES_PER_INITIATIVE } from './initiative-limits.js';
import { canCompleteMilestone, isOwner, isParticipant } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MembershipService } from './membership.service.js';
import { MilestoneRepository } from './milestone.repository.js';
import type { Milestone } from './models/initiative.models.js';

/**
 * An initiative's plan: milestones added by its owner and members, each completed by the owner
 * or the member it is assigned to.
 */
@Injectable()
export class MilestoneService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly milestones: MilestoneRepository,
    private readonly membership: MembershipService,
    private readonly changes: InitiativeChanges,
  ) {}

  /**
   * A milestone, by the owner or a member; assigned (by the owner only) to the owner or a current
   * member if one is named. Milestones are
   * counted under the initiative's row lock: it never passes its maximum.
   */
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
      const assigneeId = input.assigneeId ?? null;
      if (assigneeId) {
        // Assigning is the owner's: a member cannot plan work for themself to tick off.
        if (!isOwner(actor, initiative))
          throw forbidden("Only the initiative's owner assigns its milestones");
        await this.membership.assertMayBeHandedWork(tx, initiative, assigneeId, 'assigneeId');
      }
      const milestone = await this.milestones.addWithinLimit(
        tx,
        {
          initiativeId: initiative.id,
          title: input.title,
          dueDate: input.dueDate ?? null,
          assigneeId,
        },
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
        payload: {
          milestoneId: milestone.id,
          title: input.title,
          dueDate: input.dueDate ?? null,
          assigneeId,
        },
      });
      tx.afterCommit(() => this.changes.announce(input.initiativeId));
      return milestone;
    });
  }

  /**
   * The owner assigns a milestone to themself or a current member, or to nobody (null).
   * Assigning it to its assignee again changes nothing (and records nothing).
   */
  assignMilestone(input: AssignMilestoneInput, actor: Actor): Promise<Milestone> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.milestones.initiativeIdOf(tx, input.milestoneId);
      if (!initiativeId) throw notFound('Milestone', 'milestoneId');
      // NO KEY UPDATE: one at a time with leaving (which unassigns) and completing.
      const initiative = await this.initiatives.lock(tx, initiativeId, 'NO KEY UPDATE');
      if (!isOwner(actor, initiative))
        throw forbidden("Only the initiative's owner assigns its milestones");
      assertActive(initiative);
      const milestone = (await this.milestones.findById(tx, input.milestoneId))!;
      if (milestone.completedAt) throw invalidTransition('The milestone is already complete');
      const assigneeId = input.assigneeId ?? null;
      if (milestone.assigneeId === assigneeId) return milestone;
      if (assigneeId)
        await this.membership.assertMayBeHandedWork(tx, initiative, assigneeId, 'assigneeId');
      const assigned = await this.milestones.assign(tx, milestone.id, assigneeId);
      await tx.record({
        action: 'initiative.assignMilestone',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: {
          milestoneId: milestone.id,
          assigneeId,
          previousAssigneeId: milestone.assigneeId,
        },
      });
      tx.afterCommit(() => this.changes.announce(initiative.id));
      return assigned;
    });
  }

  /** The owner, or the member it is assigned to, completes a milestone. */
  completeMilestone(milestoneId: string, actor: Actor): Promise<Milestone> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.milestones.initiativeIdOf(tx, milestoneId);
      if (!initiativeId) throw notFound('Milestone', 'milestoneId');
      const initiative = await this.initiatives.lock(tx, initiativeId, 'SHARE');
      const planned = (await this.milestones.findById(tx, milestoneId))!;
      if (!canCompleteMilestone(actor, initiative, planned)) {
        throw forbidden("Only the initiative's owner and the milestone's assignee complete it");
      }
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
