import { MetricDirection } from '../../src/modules/initiative/initiative.enums.js';
import {
  isPlausibleMeasurementTime,
  metricProgressPercent,
  milestoneProgressPercent,
  targetPointsTheRightWay,
} from '../../src/modules/initiative/metric-progress.js';

const higher = { baseline: 10, target: 20, direction: MetricDirection.HIGHER_IS_BETTER };
const lower = { baseline: 20, target: 10, direction: MetricDirection.LOWER_IS_BETTER };

describe(metricProgressPercent.name, () => {
  it('is null before the first measurement', () => {
    expect(metricProgressPercent(higher, null)).toBeNull();
  });

  it('measures the way from baseline to target, whichever way is better', () => {
    expect(metricProgressPercent(higher, 15)).toBe(50);
    expect(metricProgressPercent(lower, 15)).toBe(50);
    expect(metricProgressPercent(lower, 12)).toBe(80);
  });

  it('caps at 0 and 100, so one runaway metric cannot hide the others', () => {
    expect(metricProgressPercent(higher, 5)).toBe(0);
    expect(metricProgressPercent(higher, 40)).toBe(100);
    expect(metricProgressPercent(lower, 25)).toBe(0);
    expect(metricProgressPercent(lower, 0)).toBe(100);
  });

  it('rounds to one decimal', () => {
    expect(metricProgressPercent({ ...higher, target: 13 }, 11)).toBe(33.3);
  });
});

describe(targetPointsTheRightWay.name, () => {
  it('wants the target above the baseline when higher is better', () => {
    expect(targetPointsTheRightWay(higher)).toBe(true);
    expect(targetPointsTheRightWay({ ...higher, target: 5 })).toBe(false);
  });

  it('wants it below when lower is better', () => {
    expect(targetPointsTheRightWay(lower)).toBe(true);
    expect(targetPointsTheRightWay({ ...lower, target: 30 })).toBe(false);
  });

  it('refuses a target equal to the baseline (progress would divide by zero)', () => {
    expect(targetPointsTheRightWay({ ...higher, target: 10 })).toBe(false);
    expect(targetPointsTheRightWay({ ...lower, target: 20 })).toBe(false);
  });
});

describe(isPlausibleMeasurementTime.name, () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const hours = (n: number) => new Date(now.getTime() + n * 60 * 60 * 1000);

  it('accepts readings from the past and up to a day ahead', () => {
    expect(isPlausibleMeasurementTime(hours(-24 * 365), now)).toBe(true);
    expect(isPlausibleMeasurementTime(now, now)).toBe(true);
    expect(isPlausibleMeasurementTime(hours(24), now)).toBe(true);
  });

  it('refuses readings dated more than a day ahead', () => {
    expect(isPlausibleMeasurementTime(new Date(hours(24).getTime() + 1), now)).toBe(false);
  });
});

describe(milestoneProgressPercent.name, () => {
  const done = { completedAt: new Date('2024-01-01') };
  const open = { completedAt: null };

  it('is null without milestones', () => {
    expect(milestoneProgressPercent([])).toBeNull();
  });

  it('is the share of milestones done, in percent with one decimal', () => {
    expect(milestoneProgressPercent([open, open])).toBe(0);
    expect(milestoneProgressPercent([done, open])).toBe(50);
    expect(milestoneProgressPercent([done, open, open])).toBe(33.3);
    expect(milestoneProgressPercent([done, done])).toBe(100);
  });
});
