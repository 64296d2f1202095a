import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** The first failing constraint, as a dotted path from the argument: `skills.0.level`. */
function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string } {
  const error = errors[0];
  const field = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints && Object.keys(error.constraints).length > 0) {
    return { field, message: Object.values(error.constraints)[0] };
  }
  if (error.children && error.children.length > 0) return firstProblem(error.children, field);
  return { field, message: `${error.property} is invalid` };
}

/** Nest's param types for client input; '3' is @nestjs/graphql's GqlParamtype.ARGS (not exported). */
const CLIENT_INPUT = new Set(['body', 'query', 'param', '3']);

/**
 * The path of the first string PostgreSQL would refuse or silently alter: one holding U+0000,
 * or one that is not well-formed Unicode (a lone surrogate, stored as U+FFFD).
 */
function malformedTextAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed() ? path : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = malformedTextAt(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/**
 * class-validator on every argument, with unknown properties and malformed text refused. A failure becomes
 * BAD_USER_INPUT naming the field by its full path (`input.amount`).
 */
@Injectable()
export class InputValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => {
        const { field, message } = firstProblem(errors);
        return new DomainError(ErrorCode.BAD_USER_INPUT, message, { field });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Client input only: GraphQL arguments, HTTP bodies, queries and route params. Parents,
    // contexts and custom decorators pass untouched: Nest applies global pipes to every
    // resolver parameter, and validating each parent object of every field would cost more
    // than resolving it.
    if (!CLIENT_INPUT.has(String(metadata.type))) return value;
    const malformed = malformedTextAt(value, metadata.data ?? '');
    if (malformed) {
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        `${malformed}: must be well-formed text without NUL characters`,
        { field: malformed },
      );
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (error instanceof DomainError && metadata.data && error.details.field) {
        const field = `${metadata.data}.${error.details.field}`;
        throw new DomainError(error.code, `${field}: ${error.message}`, { field });
      }
      if (error instanceof DomainError && error.details.field) {
        throw new DomainError(
          error.code,
          `${error.details.field}: ${error.message}`,
          error.details,
        );
      }
      throw error;
    }
  }
}
