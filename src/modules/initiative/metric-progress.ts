import { CLOCK_SKEW_ALLOWANCE_MS } from '../../common/clock/clock.js';
import { MetricDirection } from './initiative.enums.js';

export interface MetricTarget {
  baseline: number;
  target: number;
  direction: MetricDirection;
}

/**
 * How far the latest value has come from the baseline towards the target, in percent,
 * whichever way "better" points: 0 at the baseline (or worse), 100 at the target (or beyond).
 * Capped to 0–100 so one runaway metric cannot hide the others in an average. Null without
 * a measurement.
 */
export function metricProgressPercent(metric: MetricTarget, latest: number | null): number | null {
  if (latest === null) return null;
  // target − baseline is positive for HIGHER_IS_BETTER and negative for LOWER_IS_BETTER
  // (enforced when the metric is defined), so one ratio serves both directions.
  const ratio = (latest - metric.baseline) / (metric.target - metric.baseline);
  return Math.round(Math.min(1, Math.max(0, ratio)) * 1000) / 10;
}

/** HIGHER_IS_BETTER needs a target above the baseline, LOWER_IS_BETTER one below it. */
export function targetPointsTheRightWay(metric: MetricTarget): boolean {
  return metric.direction === MetricDirection.HIGHER_IS_BETTER
    ? metric.target > metric.baseline
    : metric.target < metric.baseline;
}

/** Why a reading may not be dated `at`, or null if it may. */
export type MeasurementTimeRefusal = 'IN_THE_FUTURE' | 'BEFORE_THE_START';

/**
 * A reading is of something already true, since the initiative started: not after `now`
 * (give or take a client's clock skew, CLOCK_SKEW_ALLOWANCE_MS), not before `startedAt`. A
 * reading dated ahead would otherwise stay the latest value until that time.
 */
export function measurementTimeRefusal(
  at: Date,
  { now, startedAt }: { now: Date; startedAt: Date },
): MeasurementTimeRefusal | null {
  if (at.getTime() > now.getTime() + CLOCK_SKEW_ALLOWANCE_MS) return 'IN_THE_FUTURE';
  if (at.getTime() < startedAt.getTime()) return 'BEFORE_THE_START';
  return null;
}

/** Milestones done ÷ milestones, in percent with one decimal; null without any. */
export function milestoneProgressPercent(
  milestones: readonly { completedAt: Date | null }[],
): number | null {
  if (milestones.length === 0) return null;
  const done = milestones.filter((m) => m.completedAt).length;
  return Math.round((done / milestones.length) * 1000) / 10;
}
