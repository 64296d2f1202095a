import { decodeCursor, encodeCursor, type CursorKey } from '../../src/common/graphql/cursor.js';

describe(decodeCursor.name, () => {
  const forged = (json: string) => Buffer.from(json).toString('base64url');
  const sut = (values: unknown[], keys: CursorKey[]) =>
    decodeCursor(forged(JSON.stringify(values)), keys);
  const refused = (values: unknown[], keys: CursorKey[]) => {
    try {
      sut(values, keys);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it('reads back every kind of key the service writes', () => {
    const keys: CursorKey[] = ['integer', 'bigint', 'double', 'text', 'uuid', 'timestamp'];
    const values = [
      3,
      1234,
      -1,
      'Ada',
      '0b9c7f7e-3a7e-4c2e-9d0a-5b1f1b0c2d3e',
      '2026-01-31T09:00:00.123456Z',
    ];
    expect(decodeCursor(encodeCursor(values), keys)).toEqual(values);
  });

  it('refuses, as BAD_USER_INPUT on the field, a cursor that is not one', () => {
    expect(() => decodeCursor('bogus', ['bigint'])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'after' } }),
    );
    expect(() => decodeCursor(forged('{}'), ['bigint'], 'teamsAfter')).toThrow(
      expect.objectContaining({ details: { field: 'teamsAfter' } }),
    );
    expect(refused([1, 2], ['bigint'])).toBeDefined();
    expect(refused([], ['bigint'])).toBeDefined();
  });

  it('keeps integers within PostgreSQL integer, and bigints exact', () => {
    expect(sut([2 ** 31 - 1], ['integer'])).toEqual([2 ** 31 - 1]);
    expect(sut([-(2 ** 31)], ['integer'])).toEqual([-(2 ** 31)]);
    expect(refused([2 ** 31], ['integer'])).toBeDefined();
    expect(refused([1e10], ['integer'])).toBeDefined();
    expect(sut([Number.MAX_SAFE_INTEGER], ['bigint'])).toEqual([Number.MAX_SAFE_INTEGER]);
    expect(refused([2 ** 53], ['bigint'])).toBeDefined();
    expect(refused([1e19], ['bigint'])).toBeDefined();
    expect(refused([1.5], ['bigint'])).toBeDefined();
    expect(refused(['1'], ['bigint'])).toBeDefined();
  });

  it('takes finite numbers only for a double', () => {
    expect(sut([33.333333333333336], ['double'])).toEqual([33.333333333333336]);
    expect(() => decodeCursor(forged('[1e400]'), ['double'])).toThrow();
    expect(refused(['1'], ['double'])).toBeDefined();
    expect(refused([null], ['double'])).toBeDefined();
  });

  it('takes text without NUL, and uuids as PostgreSQL writes them', () => {
    expect(refused(['a\u0000b'], ['text'])).toBeDefined();
    expect(refused([5], ['text'])).toBeDefined();
    expect(refused(['not-a-uuid'], ['uuid'])).toBeDefined();
    expect(refused(['0b9c7f7e3a7e4c2e9d0a5b1f1b0c2d3e'], ['uuid'])).toBeDefined();
  });

  it.each([
    '2024-02-29T00:00:00.000000Z',
    '0001-01-01T00:00:00.000000Z',
    // 9999-12-31T23:59:59-23:59, a date-time the API accepts, is in year 10000 in UTC.
    '10000-01-01T23:58:59.000000Z',
    '294276-12-31T23:59:59.999999Z',
  ])('takes the timestamp %s', (at) => {
    expect(sut([at], ['timestamp'])).toEqual([at]);
  });

  it.each([
    'not a time',
    '2025-02-29T00:00:00.000000Z',
    '2026-04-31T00:00:00.000000Z',
    '2026-13-01T00:00:00.000000Z',
    '2026-01-01T24:00:00.000000Z',
    '2026-01-01T00:60:00.000000Z',
    '0000-01-01T00:00:00.000000Z',
    '294277-01-01T00:00:00.000000Z',
    '2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.000000+01:00',
  ])('refuses the timestamp %s', (at) => {
    expect(refused([at], ['timestamp'])).toBeDefined();
  });
});
