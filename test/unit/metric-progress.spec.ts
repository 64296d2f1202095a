import { CLOCK_SKEW_ALLOWANCE_MS } from '../../src/common/clock/clock.js';
import { MetricDirection } from '../../src/modules/initiative/initiative.enums.js';
import {
  measurementTimeRefusal,
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

describe(measurementTimeRefusal.name, () => {
  const now = new Date('2024-05-01T12:00:00Z');
  const startedAt = new Date('2024-04-01T09:00:00Z');
  const at = (msFromNow: number) => new Date(now.getTime() + msFromNow);

  it('accepts readings from the start up to now', () => {
    expect(measurementTimeRefusal(startedAt, { now, startedAt })).toBeNull();
    expect(measurementTimeRefusal(at(-24 * 60 * 60 * 1000), { now, startedAt })).toBeNull();
    expect(measurementTimeRefusal(now, { now, startedAt })).toBeNull();
  });

  it("allows a client's clock to run ahead by the skew allowance, not a millisecond more", () => {
    expect(measurementTimeRefusal(at(CLOCK_SKEW_ALLOWANCE_MS), { now, startedAt })).toBeNull();
    expect(measurementTimeRefusal(at(CLOCK_SKEW_ALLOWANCE_MS + 1), { now, startedAt })).toBe(
      'IN_THE_FUTURE',
    );
  });

  it('refuses a reading 6 hours ahead, which would stay the latest value until then', () => {
    expect(measurementTimeRefusal(at(6 * 60 * 60 * 1000), { now, startedAt })).toBe(
      'IN_THE_FUTURE',
    );
  });

  it('refuses a reading from before the initiative started', () => {
    expect(measurementTimeRefusal(new Date(startedAt.getTime() - 1), { now, startedAt })).toBe(
      'BEFORE_THE_START',
    );
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
