import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { conflict, invalidTransition } from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { CapacityService } from '../employee/capacity.service.js';
import type { JoinInitiativeInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { MAX_INITIATIVE_MEMBERS } from './initiative-limits.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MembershipRepository } from './membership.repository.js';
import type { Initiative, InitiativeMember } from './models/initiative.models.js';

/** Who gives an initiative hours: joining, changing one's hours, leaving. */
@Injectable()
export class MembershipService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly members: MembershipRepository,
    private readonly capacity: CapacityService,
    private readonly changes: InitiativeChanges,
  ) {}

  /**
   * Joins, or changes one's hours; the hours count against weekly capacity like market work.
   * Joins are counted one at a time under the initiative's row lock, so it never passes its
   * maximum of members.
   */
  join(input: JoinInitiativeInput, actor: Actor): Promise<InitiativeMember> {
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

  /** Leaves an initiative, freeing one's hours. */
  leave(initiativeId: string, actor: Actor): Promise<Initiative> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiative = await this.initiatives.lock(tx, initiativeId, 'SHARE', 'initiativeId');
      const hoursPerWeek = await this.members.leave(tx, initiative.id, actor.id);
      if (hoursPerWeek === undefined)
        throw invalidTransition('You are not a member of this initiative');
      await this.capacity.release(tx, actor.id, hoursPerWeek);
      await tx.record({
        action: 'initiative.leave',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { hoursPerWeek },
      });
      tx.afterCommit(() => this.changes.announce(initiativeId));
      return initiative;
    });
  }
}
