import { prefixedColumns, unprefixed } from '../../src/database/sql.js';

describe('prefixedColumns', () => {
  it('prefixes every output name, bare or aliased, past commas inside calls and quotes', () => {
    const columns = `n.id, n.hours_per_week AS "hoursPerWeek",
      to_char(n.starts_on + 7 * n.weeks - 1, 'YYYY-MM-DD') AS "endsOn", n.a || ', ' || n.b AS "ab"`;
    expect(prefixedColumns(columns, 'need.')).toBe(
      `n.id AS "need.id", n.hours_per_week AS "need.hoursPerWeek", ` +
        `to_char(n.starts_on + 7 * n.weeks - 1, 'YYYY-MM-DD') AS "need.endsOn", ` +
        `n.a || ', ' || n.b AS "need.ab"`,
    );
  });

  it('refuses a column whose output name it cannot tell', () => {
    expect(() => prefixedColumns('n.id, n.a + 1', 'need.')).toThrow(
      /cannot name the column n\.a \+ 1/,
    );
  });

  it('takes one row back out of a joined row', () => {
    const row = { 'need.id': 'n1', 'need.title': 'T', 'bid.id': 'b1', 'bid.need.x': 1 };
    expect(unprefixed(row, 'need.')).toEqual({ id: 'n1', title: 'T' });
    expect(unprefixed(row, 'bid.')).toEqual({ id: 'b1', 'need.x': 1 });
  });
});
