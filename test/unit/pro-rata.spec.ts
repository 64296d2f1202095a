import { splitProRata } from '../../src/common/money/pro-rata.js';
import { MetricDirection } from '../../src/modules/initiative/initiative.enums.js';
import { metricProgressPercent } from '../../src/modules/initiative/metric-progress.js';

describe(splitProRata.name, () => {
  const split = (total: number, weights: number[]) => [
    ...splitProRata(
      total,
      weights.map((weight, key) => ({ key, weight })),
    ).values(),
  ];

  it('splits exactly in proportion when it can', () => {
    expect(split(100, [1, 3])).toEqual([25, 75]);
  });

  it('gives leftover credits to the largest remainders, ties to the earlier entry', () => {
    expect(split(2, [1, 1, 1])).toEqual([1, 1, 0]);
    expect(split(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(split(7, [5, 3, 2])).toEqual([4, 2, 1]); // 3.5, 2.1, 1.4
  });

  it('always adds up to the total, whatever the numbers', () => {
    for (let seed = 1; seed < 200; seed++) {
      const weights = Array.from({ length: 1 + (seed % 7) }, (_, i) => 1 + ((seed * (i + 3)) % 97));
      const total = (seed * 7919) % 100_003;
      const parts = split(total, weights);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      parts.forEach((part, i) => {
        const exact = (total * weights[i]) / weights.reduce((a, b) => a + b, 0);
        expect(Math.abs(part - exact)).toBeLessThan(1);
      });
    }
  });

  it('handles nothing to split and refuses negative totals', () => {
    expect(split(0, [2, 3])).toEqual([0, 0]);
    expect(() => split(-1, [1])).toThrow(RangeError);
  });
});

describe(metricProgressPercent.name, () => {
  const higher = { baseline: 100, target: 500, direction: MetricDirection.HIGHER_IS_BETTER };
  const lower = { baseline: 12, target: 9, direction: MetricDirection.LOWER_IS_BETTER };

  it('measures progress from baseline to target when higher is better', () => {
    expect(metricProgressPercent(higher, 300)).toBe(50);
    expect(metricProgressPercent(higher, 100)).toBe(0);
  });

  it('measures progress from baseline to target when lower is better', () => {
    expect(metricProgressPercent(lower, 10.5)).toBe(50);
    expect(metricProgressPercent(lower, 9)).toBe(100);
  });

  it('caps at 0 when worse than the baseline and at 100 past the target', () => {
    expect(metricProgressPercent(higher, 50)).toBe(0);
    expect(metricProgressPercent(higher, 900)).toBe(100);
    expect(metricProgressPercent(lower, 14)).toBe(0);
    expect(metricProgressPercent(lower, 5)).toBe(100);
  });

  it('knows nothing before the first measurement', () => {
    expect(metricProgressPercent(higher, null)).toBeNull();
  });
});
