import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { badInput, conflict, invalidTransition } from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { CapacityService } from '../employee/capacity.service.js';
import type { JoinInitiativeInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { MAX_INITIATIVE_MEMBERS, MIN_MEMBER_HOURS_PER_WEEK } from './initiative-limits.js';
import { givesEnoughHours, isOwner, mayBeHandedWork } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MembershipRepository } from './membership.repository.js';
import { MetricRepository } from './metric.repository.js';
import { MilestoneRepository } from './milestone.repository.js';
import type { Initiative, InitiativeMember } from './models/initiative.models.js';
import { InitiativeStatus } from './initiative.enums.js';

/** What a leaver's initiatives became: those handed to a successor, those left. */
export interface InitiativeOffboarding {
  handedOver: { initiativeId: string; to: string }[];
  leftInitiatives: { initiativeId: string; hoursPerWeek: number }[];
}

/** Who gives an initiative hours: joining, changing one's hours, leaving. */
@Injectable()
export class MembershipService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly members: MembershipRepository,
    private readonly metrics: MetricRepository,
    private readonly milestones: MilestoneRepository,
    private readonly capacity: CapacityService,
    private readonly changes: InitiativeChanges,
  ) {}

  /**
   * Joins, or changes one's hours; the hours count against weekly capacity like market work.
   * At least an hour a week: joining is giving time (leaving is how one stops). Joins are
   * counted one at a time under the initiative's row lock, so it never passes its maximum.
   */
  join(input: JoinInitiativeInput, actor: Actor): Promise<InitiativeMember> {
    if (!givesEnoughHours(input.hoursPerWeek)) {
      throw badInput(
        'hoursPerWeek',
        `hoursPerWeek: a member gives at least ${MIN_MEMBER_HOURS_PER_WEEK} hour a week; leave to give none`,
      );
    }
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiative = await this.initiatives.lock(
        tx,
        input.initiativeId,
        'NO KEY UPDATE',
        'initiativeId',
      );
      assertActive(initiative);
      const current = await this.members.lockCurrentHours(tx, initiative.id, actor.id);
      const delta = input.hoursPerWeek - (current ?? 0);
      if (delta > 0) await this.capacity.commit(tx, actor.id, delta);
      if (delta < 0) await this.capacity.release(tx, actor.id, -delta);
      const joined =
        current === undefined
          ? await this.members.addWithinLimit(
              tx,
              initiative.id,
              actor.id,
              input.hoursPerWeek,
              MAX_INITIATIVE_MEMBERS,
            )
          : await this.members.changeHours(tx, initiative.id, actor.id, input.hoursPerWeek);
      if (!joined) {
        throw conflict(
          `The initiative has ${MAX_INITIATIVE_MEMBERS} members already, the most it takes`,
          'initiativeId',
        );
      }
      await tx.record({
        action: current === undefined ? 'initiative.join' : 'initiative.changeHours',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { hoursPerWeek: input.hoursPerWeek },
      });
      tx.afterCommit(() => this.changes.announce(input.initiativeId));
      return joined;
    });
  }

  /**
   * Leaves an initiative, freeing one's hours. A member's metrics go back to the owner and their
   * open milestones to nobody (the owner completes them), so that only the owner and current
   * members hold the initiative's work. (An owner who leaves stays its owner.)
   */
  leave(initiativeId: string, actor: Actor): Promise<Initiative> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      // NO KEY UPDATE: one at a time with joins and with handing metrics and milestones over.
      const initiative = await this.initiatives.lock(
        tx,
        initiativeId,
        'NO KEY UPDATE',
        'initiativeId',
      );
      const hoursPerWeek = await this.members.leave(tx, initiative.id, actor.id);
      if (hoursPerWeek === undefined)
        throw invalidTransition('You are not a member of this initiative');
      await this.capacity.release(tx, actor.id, hoursPerWeek);
      const owner = isOwner(actor, initiative);
      const metricsReturned = owner
        ? []
        : await this.metrics.returnToOwner(tx, initiative.id, actor.id, initiative.ownerId);
      const milestonesUnassigned = owner
        ? []
        : await this.milestones.unassignFrom(tx, initiative.id, actor.id);
      await tx.record({
        action: 'initiative.leave',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { hoursPerWeek, metricsReturned, milestonesUnassigned },
      });
      tx.afterCommit(() => this.changes.announce(initiativeId));
      return initiative;
    });
  }

  /**
   * A leaver's initiatives, in the deactivating unit of work: each ACTIVE one they own goes to
   * `successorFor(initiative)` (called under the initiative's lock; it checks and holds the
   * successor), who becomes a member if not one already, with the leaver's metrics; then every
   * membership ends as by leave (hours freed, metrics to the owner, milestones to nobody).
   */
  async offboard(
    tx: Tx,
    employeeId: string,
    successorFor: (initiative: Initiative) => Promise<string>,
  ): Promise<InitiativeOffboarding> {
    const done: InitiativeOffboarding = { handedOver: [], leftInitiatives: [] };
    for (const id of await this.initiatives.activeOwnedBy(tx, employeeId)) {
      const initiative = await this.initiatives.lock(tx, id, 'NO KEY UPDATE');
      if (initiative.ownerId !== employeeId || initiative.status !== InitiativeStatus.ACTIVE)
        continue;
      const to = await successorFor(initiative);
      await this.initiatives.setOwner(tx, id, to);
      if ((await this.members.lockCurrentHours(tx, id, to)) === undefined) {
        await this.members.addOwner(tx, id, to);
      }
      await this.metrics.returnToOwner(tx, id, employeeId, to);
      done.handedOver.push({ initiativeId: id, to });
      tx.afterCommit(() => this.changes.announce(id));
    }
    for (const id of await this.members.currentInitiativesOf(tx, employeeId)) {
      const initiative = await this.initiatives.lock(tx, id, 'NO KEY UPDATE');
      const hoursPerWeek = await this.members.leave(tx, id, employeeId);
      if (hoursPerWeek === undefined) continue;
      await this.capacity.release(tx, employeeId, hoursPerWeek);
      await this.metrics.returnToOwner(tx, id, employeeId, initiative.ownerId);
      await this.milestones.unassignFrom(tx, id, employeeId);
      done.leftInitiatives.push({ initiativeId: id, hoursPerWeek });
      tx.afterCommit(() => this.changes.announce(id));
    }
    return done;
  }

  /**
   * BAD_USER_INPUT on `field` unless the employee may be handed the initiative's work (a metric
   * to report, a milestone to complete): its owner or a current member. Call it under the
   * initiative's NO KEY UPDATE lock, which leaving takes too.
   */
  async assertMayBeHandedWork(
    tx: Db,
    initiative: Initiative,
    employeeId: string,
    field: string,
  ): Promise<void> {
    const member =
      employeeId !== initiative.ownerId &&
      (await this.members.isCurrentMember(tx, initiative.id, employeeId));
    if (!mayBeHandedWork(initiative, employeeId, member)) {
      throw badInput(field, `${field}: only the initiative's owner or a current member`);
    }
  }
}
