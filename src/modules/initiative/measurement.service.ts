import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { Clock } from '../../common/clock/clock.js';
import {
  badInput,
  conflict,
  forbidden,
  invalidTransition,
  notFound,
} from '../../common/errors/domain-error.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { CorrectMeasurementInput, RecordMeasurementInput } from './dto/initiative.inputs.js';
import { InitiativeChanges } from './initiative-events.js';
import { acceptsMeasurements, canReport } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MetricRepository } from './metric.repository.js';
import { measurementTimeRefusal } from './metric-progress.js';
import type { Initiative, Measurement, OutcomeMetric } from './models/initiative.models.js';

export interface Correction {
  /** The new current reading. */
  measurement: Measurement;
  /** The reading it superseded, kept in the history. */
  corrected: Measurement;
}

/**
 * The readings of outcome metrics: recorded and corrected by a metric's reporter or the
 * initiative's owner. Readings are history: a correction supersedes a reading, never changes
 * it. The metric's latest value and the initiative's outcome score follow the current readings.
 */
@Injectable()
export class MeasurementService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly initiatives: InitiativeRepository,
    private readonly metrics: MetricRepository,
    private readonly changes: InitiativeChanges,
  ) {}

  /** A reading of a metric, true at `at` (now if omitted): not ahead of now, not before the start. */
  recordMeasurement(input: RecordMeasurementInput, actor: Actor): Promise<Measurement> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const { initiative, metric } = await this.lockForReporting(tx, input.metricId, actor);
      const now = this.clock.now();
      const at = input.at ?? now;
      const refusal = measurementTimeRefusal(at, { now, startedAt: initiative.startedAt });
      if (refusal === 'IN_THE_FUTURE')
        throw badInput('at', 'at: a measurement cannot be dated in the future');
      if (refusal === 'BEFORE_THE_START') {
        throw badInput(
          'at',
          `at: a measurement cannot be dated before the initiative started (${initiative.startedAt.toISOString()})`,
        );
      }
      const measurement = await this.metrics.addMeasurement(tx, {
        metricId: metric.id,
        value: input.value,
        at,
        recordedById: actor.id,
      });
      await this.followCurrentReadings(tx, initiative, metric);
      await tx.record({
        action: 'initiative.recordMeasurement',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: {
          metricId: metric.id,
          measurementId: measurement.id,
          value: input.value,
          at: at.toISOString(),
        },
      });
      tx.afterCommit(() => this.changes.announce(initiative.id));
      return measurement;
    });
  }

  /**
   * Supersedes a current reading with a new one, true at the same time, keeping the original
   * (with who corrected it, when and why) in the history. The same correction sent again
   * (a retry) answers the correction it made; any other on a superseded reading is a CONFLICT:
   * the current reading is the one to correct.
   */
  correctMeasurement(input: CorrectMeasurementInput, actor: Actor): Promise<Correction> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const found = await this.metrics.findMeasurement(tx, input.measurementId);
      if (!found) throw notFound('Measurement', 'measurementId');
      const { initiative, metric } = await this.lockForReporting(tx, found.metricId, actor);
      // Read again under the initiative's lock: a correction made meanwhile is seen.
      const original = (await this.metrics.findMeasurement(tx, found.id))!;
      if (original.supersededById) {
        const correction = await this.metrics.findMeasurement(tx, original.supersededById);
        if (
          correction &&
          correction.recordedById === actor.id &&
          correction.value === input.value &&
          original.correctionReason === input.reason
        ) {
          return { measurement: correction, corrected: original };
        }
        throw conflict(
          'This reading was corrected already: correct the reading that superseded it',
          'measurementId',
        );
      }
      const measurement = await this.metrics.addMeasurement(tx, {
        metricId: metric.id,
        value: input.value,
        at: original.at,
        recordedById: actor.id,
      });
      await this.metrics.supersede(tx, original.id, measurement.id, input.reason);
      await this.followCurrentReadings(tx, initiative, metric);
      await tx.record({
        action: 'initiative.correctMeasurement',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: {
          metricId: metric.id,
          measurementId: original.id,
          correctionId: measurement.id,
          at: original.at.toISOString(),
          from: original.value,
          to: input.value,
          reason: input.reason,
        },
      });
      tx.afterCommit(() => this.changes.announce(initiative.id));
      const corrected = (await this.metrics.findMeasurement(tx, original.id))!;
      return { measurement, corrected };
    });
  }

  /**
   * The metric and its initiative, locked so that readings of one initiative are taken one at a
   * time (its latest values and outcome score are computed from what committed before); FORBIDDEN
   * unless the actor is the metric's reporter or the owner; INVALID_TRANSITION once cancelled.
   */
  private async lockForReporting(
    tx: Tx,
    metricId: string,
    actor: Actor,
  ): Promise<{ initiative: Initiative; metric: OutcomeMetric }> {
    const initiativeId = await this.metrics.initiativeIdOf(tx, metricId);
    if (!initiativeId) throw notFound('Outcome metric', 'metricId');
    const initiative = await this.initiatives.lock(tx, initiativeId, 'NO KEY UPDATE');
    const metric = (await this.metrics.findById(tx, metricId))!;
    if (!canReport(actor, initiative, metric)) {
      throw forbidden("Only the metric's reporter and the initiative's owner record its readings");
    }
    if (!acceptsMeasurements(initiative)) {
      throw invalidTransition('The initiative was cancelled: no more measurements');
    }
    return { initiative, metric };
  }

  /** The metric's latest value and the initiative's outcome score, from current readings. */
  private async followCurrentReadings(
    tx: Tx,
    initiative: Initiative,
    metric: OutcomeMetric,
  ): Promise<void> {
    await this.metrics.refreshLatest(tx, metric.id);
    await this.initiatives.refreshOutcomeScore(tx, initiative.id);
  }
}
