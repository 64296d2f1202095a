import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { badInput, conflict, forbidden, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import { changesBetween, RevisionService } from '../revision/revision.service.js';
import type { EditMilestoneInput, EditOutcomeMetricInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { isOwner } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MetricRepository } from './metric.repository.js';
import { targetPointsTheRightWay } from './metric-progress.js';
import { MilestoneRepository } from './milestone.repository.js';
import type { Milestone, OutcomeMetric } from './models/initiative.models.js';

/**
 * The owner's edits of an ACTIVE initiative's plan: a milestone's title and due date, a
 * metric's name, target and direction (a new target changes progress, so it is recorded like
 * every edit: who, when, from and to). Under the initiative's row lock, as every change to its
 * milestones and metrics is.
 */
@Injectable()
export class InitiativeEditService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly milestones: MilestoneRepository,
    private readonly metrics: MetricRepository,
    private readonly revisions: RevisionService,
    private readonly changes: InitiativeChanges,
  ) {}

  editMilestone(input: EditMilestoneInput, actor: Actor): Promise<Milestone> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.milestones.initiativeIdOf(tx, input.milestoneId);
      if (!initiativeId) throw notFound('Milestone', 'milestoneId');
      await this.ownersActive(tx, initiativeId, actor, 'milestones');
      const milestone = (await this.milestones.findById(tx, input.milestoneId))!;
      const changes = changesBetween(
        { title: milestone.title, dueDate: milestone.dueDate },
        { title: input.title, dueDate: input.dueDate },
      );
      if (Object.keys(changes).length === 0) return milestone;
      const edited = await this.milestones.edit(
        tx,
        milestone.id,
        input.title ?? milestone.title,
        input.dueDate ?? milestone.dueDate,
      );
      await this.revisions.record(tx, 'Milestone', milestone.id, actor.id, changes);
      await this.recorded(tx, initiativeId, 'initiative.editMilestone', milestone.id, changes);
      return edited;
    });
  }

  editMetric(input: EditOutcomeMetricInput, actor: Actor): Promise<OutcomeMetric> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.metrics.initiativeIdOf(tx, input.metricId);
      if (!initiativeId) throw notFound('Outcome metric', 'metricId');
      await this.ownersActive(tx, initiativeId, actor, 'outcome metrics');
      const metric = (await this.metrics.findById(tx, input.metricId))!;
      const next = {
        name: input.name ?? metric.name,
        target: input.target ?? metric.target,
        direction: input.direction ?? metric.direction,
      };
      if (!targetPointsTheRightWay({ ...next, baseline: metric.baseline })) {
        throw badInput(
          'target',
          `target: with ${next.direction} the target must be ${
            next.direction === 'HIGHER_IS_BETTER' ? 'above' : 'below'
          } the baseline (${metric.baseline})`,
        );
      }
      const changes = changesBetween(
        { name: metric.name, target: metric.target, direction: metric.direction },
        { name: input.name, target: input.target, direction: input.direction },
      );
      if (Object.keys(changes).length === 0) return metric;
      let edited: OutcomeMetric;
      try {
        edited = await this.metrics.edit(tx, metric.id, next);
      } catch (error) {
        if (isConstraintViolation(error, 'outcome_metric_name_key')) {
          throw conflict(`The initiative already has a metric named "${next.name}"`, 'name');
        }
        throw error;
      }
      await this.revisions.record(tx, 'OutcomeMetric', metric.id, actor.id, changes);
      await this.recorded(tx, initiativeId, 'initiative.editMetric', metric.id, changes);
      return edited;
    });
  }

  /** The initiative locked; FORBIDDEN unless the actor owns it, INVALID_TRANSITION unless ACTIVE. */
  private async ownersActive(tx: Tx, initiativeId: string, actor: Actor, what: string) {
    const initiative = await this.initiatives.lock(
      tx,
      initiativeId,
      'NO KEY UPDATE',
      'initiativeId',
    );
    if (!isOwner(actor, initiative))
      throw forbidden(`Only the initiative's owner edits its ${what}`);
    assertActive(initiative);
  }

  private async recorded(
    tx: Tx,
    initiativeId: string,
    action: string,
    id: string,
    changes: Record<string, unknown>,
  ): Promise<void> {
    await tx.record({
      action,
      subjectType: 'Initiative',
      subjectId: initiativeId,
      payload: { id, changes },
    });
    tx.afterCommit(() => this.changes.announce(initiativeId));
  }
}
