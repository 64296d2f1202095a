import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes the service reacts to. */
export const PgErrorCode = {
  UNIQUE_VIOLATION: '23505',
  FOREIGN_KEY_VIOLATION: '23503',
  CHECK_VIOLATION: '23514',
  INVALID_TEXT_REPRESENTATION: '22P02',
  NUMERIC_VALUE_OUT_OF_RANGE: '22003',
  INVALID_DATETIME_FORMAT: '22007',
  DATETIME_FIELD_OVERFLOW: '22008',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  LOCK_NOT_AVAILABLE: '55P03',
  QUERY_CANCELED: '57014',
} as const;

export interface PgErrorFields {
  code?: string;
  constraint?: string;
}

/** The driver's error behind a TypeORM error, or the error itself when it came from pg directly. */
export function pgError(error: unknown): PgErrorFields | undefined {
  const candidate = error instanceof QueryFailedError ? error.driverError : error;
  if (
    candidate &&
    typeof candidate === 'object' &&
    'code' in candidate &&
    'severity' in candidate
  ) {
    return candidate as PgErrorFields;
  }
  return undefined;
}

export function isConstraintViolation(error: unknown, constraint: string): boolean {
  return pgError(error)?.constraint === constraint;
}

/** Failures that a retry of the whole transaction can cure. */
export function isRetryableTransactionError(error: unknown): boolean {
  const code = pgError(error)?.code;
  return code === PgErrorCode.SERIALIZATION_FAILURE || code === PgErrorCode.DEADLOCK_DETECTED;
}

/** pg-pool's answer when no connection came free within `connectionTimeoutMillis`. */
export function isPoolExhausted(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}
