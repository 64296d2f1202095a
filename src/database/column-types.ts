import type { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `bigint` arrives from the driver as a string. Credits stay well inside
 * Number.MAX_SAFE_INTEGER (amounts are capped by validation), so they are numbers in the code.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
