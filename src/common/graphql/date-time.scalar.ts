import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';

/** RFC 3339: a date, a time and a time zone, e.g. 2026-01-31T09:00:00Z or …T09:00:00.5+01:00. */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/i;

function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHours = 0, offsetMinutes = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59 &&
    !Number.isNaN(Date.parse(text))
  );
}

/** `node`: where a value written in the document is, so the error can name its field. */
function asDate(value: unknown, node?: ValueNode): Date {
  if (typeof value !== 'string' || !isDateTime(value)) {
    const shown = node ? print(node) : JSON.stringify(value);
    throw new GraphQLError(
      `DateTime cannot represent ${shown}: expected a date and time with a time zone, such as 2026-01-31T09:00:00Z`,
      { nodes: node },
    );
  }
  return new Date(value);
}

/**
 * The `DateTime` of every `Date` field, stricter on input than Nest's own (which turns any
 * number into a date, and any literal that is not a string into null): a string holding an
 * RFC 3339 date-time with its time zone, or the value is refused, written inline or sent as
 * a variable alike. Output is unchanged: ISO 8601 in UTC.
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string | null>({
  name: 'DateTime',
  // Nest's description, which this scalar now lives up to on input too.
  description:
    'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : null),
  parseValue: (value) => asDate(value),
  parseLiteral: (ast) => asDate(ast.kind === Kind.STRING ? ast.value : undefined, ast),
});
