import { BoundedLabel, MAX_LABEL_LENGTH } from '../../src/common/observability/metrics.js';
import { operationNameOnSpan } from '../../src/common/observability/tracing.js';

describe('what a client-chosen operation name costs', () => {
  it('counts a label value longer than the limit under the overflow value, without admitting it', () => {
    const sut = new BoundedLabel(2, 'other');
    expect(sut.of('x'.repeat(MAX_LABEL_LENGTH + 1))).toBe('other');
    expect(sut.of('TeamPage')).toBe('TeamPage');
    expect(sut.of('Needs')).toBe('Needs');
  });

  it('cuts a huge operation name on spans', () => {
    expect(operationNameOnSpan('TeamPage')).toBe('TeamPage');
    expect(operationNameOnSpan('x'.repeat(100_000)).length).toBeLessThanOrEqual(101);
  });
});
