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
import type { DefineOutcomeMetricInput, SetMetricReporterInput } from './dto/initiative.inputs.js';
import { assertActive } from './initiative-errors.js';
import { InitiativeChanges } from './initiative-events.js';
import { MAX_METRICS_PER_INITIATIVE } from './initiative-limits.js';
import { acceptsMeasurements, isOwner } from './initiative-policy.js';
import { InitiativeRepository } from './initiative.repository.js';
import { MembershipService } from './membership.service.js';
import { MetricRepository } from './metric.repository.js';
import { targetPointsTheRightWay } from './metric-progress.js';
import type { OutcomeMetric } from './models/initiative.models.js';

/** What an initiative promises to move (its outcome metrics), and who reports each one. */
@Injectable()
export class OutcomeMetricService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly initiatives: InitiativeRepository,
    private readonly metrics: MetricRepository,
    private readonly membership: MembershipService,
    private readonly changes: InitiativeChanges,
  ) {}

  /**
   * The owner defines a metric, reported by the owner unless another reporter (a current member)
   * is named; metrics are counted under the row lock, never past the maximum.
   */
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
      const reporterId = input.reporterId ?? initiative.ownerId;
      await this.membership.assertMayBeHandedWork(tx, initiative, reporterId, 'reporterId');
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
            reporterId,
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
        payload: { metricId: metric.id, ...input, reporterId },
      });
      tx.afterCommit(() => this.changes.announce(input.initiativeId));
      return metric;
    });
  }

  /**
   * The owner hands the metric's readings to someone else: the owner or a current member.
   * Handing it to its reporter again changes nothing (and records nothing).
   */
  setReporter(input: SetMetricReporterInput, actor: Actor): Promise<OutcomeMetric> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const initiativeId = await this.metrics.initiativeIdOf(tx, input.metricId);
      if (!initiativeId) throw notFound('Outcome metric', 'metricId');
      // NO KEY UPDATE: taken one at a time with joins, leaves and readings of the initiative.
      const initiative = await this.initiatives.lock(tx, initiativeId, 'NO KEY UPDATE');
      if (!isOwner(actor, initiative))
        throw forbidden("Only the initiative's owner chooses who reports its metrics");
      if (!acceptsMeasurements(initiative)) {
        throw invalidTransition('The initiative was cancelled: its metrics are no longer reported');
      }
      const metric = (await this.metrics.findById(tx, input.metricId))!;
      if (metric.reporterId === input.reporterId) return metric;
      await this.membership.assertMayBeHandedWork(tx, initiative, input.reporterId, 'reporterId');
      const handed = await this.metrics.setReporter(tx, metric.id, input.reporterId);
      await tx.record({
        action: 'initiative.setMetricReporter',
        subjectType: 'Initiative',
        subjectId: initiative.id,
        payload: {
          metricId: metric.id,
          reporterId: input.reporterId,
          previousReporterId: metric.reporterId,
        },
      });
      tx.afterCommit(() => this.changes.announce(initiative.id));
      return handed;
    });
  }
}
