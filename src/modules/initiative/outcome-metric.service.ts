import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { DefineOutcomeMetricInput, RecordMeasurementInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { MAX_METRICS_PER_INITIATIVE } from './initiative-limits.js';
import { acceptsMeasurements, isOwner, isParticipant } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MetricRepository } from './metric.repository.js';
import { isPlausibleMeasurementTime, targetPointsTheRightWay } from './metric-progress.js';
import type { Measurement, OutcomeMetric } from './models/initiative.models.js';

/** What an initiative promises to move (its outcome metrics), and the readings that show it. */
@Injectable()
export class OutcomeMetricService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly metrics: MetricRepository,
    private readonly changes: InitiativeChanges,
  ) {}

  /** The owner defines a metric; they are counted under the row lock, never past the maximum. */
  async defineMetric(input: DefineOutcomeMetricInput, actor: Actor): Promise<OutcomeMetric> {
    if (!targetPointsTheRightWay(input)) {
      throw badInput(
        'target',
        `target: with ${input.direction} the target must be ${
          input.direction === 'HIGHER_IS_BETTER' ? 'above' : 'below'
        } the baseline`,
      );
    }
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiative = await this.initiatives.lock(
        tx,
        input.initiativeId,
        'NO KEY UPDATE',
        'initiativeId',
      );
      if (!isOwner(actor, initiative))
        throw forbidden("Only the initiative's owner defines its outcome metrics");
      assertActive(initiative);
      let metric: OutcomeMetric | undefined;
      try {
        metric = await this.metrics.addWithinLimit(
          tx,
          {
            initiativeId: initiative.id,
            name: input.name,
            unit: input.unit,
            baseline: input.baseline,
            target: input.target,
            direction: input.direction,
          },
          MAX_METRICS_PER_INITIATIVE,
        );
      } catch (error) {
        if (isConstraintViolation(error, 'outcome_metric_name_key')) {
          throw conflict(`The initiative already has a metric named "${input.name}"`, 'name');
        }
        throw error;
      }
      if (!metric) {
        throw conflict(
          `The initiative has ${MAX_METRICS_PER_INITIATIVE} outcome metrics already, the most it takes`,
          'initiativeId',
        );
      }
      await tx.record({
        action: 'initiative.defineMetric',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { metricId: metric.id, ...input },
      });
      tx.afterCommit(() => this.changes.announce(input.initiativeId));
      return metric;
    });
  }

  /**
   * A member records a reading; the metric's latest value and the initiative's outcome score
   * follow it, kept for dashboards.
   */
  async recordMeasurement(input: RecordMeasurementInput, actor: Actor): Promise<Measurement> {
    const at = input.at ?? new Date();
    if (!isPlausibleMeasurementTime(at, new Date())) {
      throw badInput('at', 'at: a measurement cannot be in the future');
    }
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.metrics.initiativeIdOf(tx, input.metricId);
      if (!initiativeId) throw notFound('Outcome metric', 'metricId');
      const initiative = await this.initiatives.lock(tx, initiativeId, 'SHARE');
      if (!isParticipant(actor, initiative))
        throw forbidden("Only the initiative's members record its measurements");
      if (!acceptsMeasurements(initiative)) {
        throw invalidTransition('The initiative was cancelled: no more measurements');
      }
      const measurement = await this.metrics.addMeasurement(tx, {
        metricId: input.metricId,
        value: input.value,
        at,
        recordedById: actor.id,
      });
      await this.metrics.keepLatest(tx, input.metricId, input.value, at);
      await this.initiatives.refreshOutcomeScore(tx, initiative.id);
      await tx.record({
        action: 'initiative.recordMeasurement',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: { metricId: input.metricId, value: input.value, at: at.toISOString() },
      });
      tx.afterCommit(() => this.changes.announce(initiative.id));
      return measurement;
    });
  }
}
