import { ValidateBy, type ValidationOptions } from 'class-validator';

const DAY = /^(\d{4})-\d{2}-\d{2}$/;
/**
 * PostgreSQL has no year 0, and a week of 9999 can end in 10000, which no YYYY-MM-DD names:
 * days outside these years would fail in SQL or in the week arithmetic, not here.
 */
const FIRST_YEAR = 1;
const LAST_YEAR = 9998;

/** A YYYY-MM-DD day that exists: 2024-02-29 does, 2025-02-29 and 2026-13-45 do not. */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const year = DAY.exec(value)?.[1];
  if (!year || Number(year) < FIRST_YEAR || Number(year) > LAST_YEAR) return false;
  const day = new Date(`${value}T00:00:00Z`);
  // Date rolls 2026-02-31 over to 2026-03-03: a day that exists reads back unchanged.
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** A real calendar day, YYYY-MM-DD, in the years 0001 to 9998. */
export const IsCalendarDay = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'isCalendarDay',
      validator: {
        validate: (value) => isCalendarDay(value),
        defaultMessage: (args) =>
          `${args?.property} must be a real day like 2026-01-31, in the years 0001 to 9998`,
      },
    },
    options,
  );
