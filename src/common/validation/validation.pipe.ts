import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
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

/**
 * Nest's param types for client input: GraphQL arguments arrive as 'body' (see isArgsObject);
 * '3' in case a Nest version passes @nestjs/graphql's GqlParamtype.ARGS through unnamed.
 */
const CLIENT_INPUT = new Set(['body', 'query', 'param', '3']);

/** Deeper than any input this service takes (a SCIM PATCH value is a few levels deep). */
export const MAX_INPUT_DEPTH = 32;

/**
 * The path of the first string PostgreSQL would refuse or silently alter: one holding U+0000,
 * or one that is not well-formed Unicode (a lone surrogate, stored as U+FFFD); or of the first
 * value nested deeper than MAX_INPUT_DEPTH (a JSON body nested thousands deep would otherwise
 * exhaust the stack of whatever walks it). Walked without recursion, for the same reason.
 */
function malformedTextAt(
  value: unknown,
  path: string,
): { path: string; tooDeep: boolean } | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000') || !next.value.isWellFormed()) {
        return { path: next.path, tooDeep: false };
      }
      continue;
    }
    if (next.value === null || typeof next.value !== 'object') continue;
    if (next.depth >= MAX_INPUT_DEPTH) return { path: next.path, tooDeep: true };
    const entries = Object.entries(next.value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i];
      pending.push({
        value: item,
        path: next.path ? `${next.path}.${key}` : key,
        depth: next.depth + 1,
      });
    }
  }
  return undefined;
}

/** @ArgsType classes whose accepted values InputValidationPipe remembers (RepeatedArguments). */
const repeated = new WeakSet<object>();

/**
 * Marks an @ArgsType class (and the classes extending it) as the arguments of a field that a
 * query repeats: `bids(first: 10)` under each need of a page, `skills(first: 5)` under each
 * bidder. Its validators must be pure (the same value always accepted the same way), and it
 * must hold nothing secret: accepted values are kept in memory.
 */
export function RepeatedArguments(): ClassDecorator {
  return (target) => {
    repeated.add(target);
  };
}

const isRepeated = (metatype: ArgumentMetadata['metatype']): boolean => {
  for (let type: unknown = metatype; typeof type === 'function';) {
    if (repeated.has(type)) return true;
    type = Object.getPrototypeOf(type);
  }
  return false;
};

/**
 * GraphQL arguments taken whole by a RepeatedArguments class. Nest's pipes consumer names
 * @nestjs/graphql's ARGS param type (3) 'body', as it does RouteParamtypes.BODY (also 3); an
 * HTTP body's class is never marked, and a named argument (`@Args('input')`) has `data`.
 */
const isArgsObject = (metadata: ArgumentMetadata) =>
  metadata.type === 'body' && metadata.data === undefined && isRepeated(metadata.metatype);

const isScalar = (value: unknown): boolean => value === null || typeof value !== 'object';

/** Longer argument values are validated every time (the memo keeps only small ones). */
const MEMO_MAX_JSON = 2_000;

/**
 * class-validator on every argument, with unknown properties and malformed text refused. A failure becomes
 * BAD_USER_INPUT naming the field by its full path (`input.amount`).
 *
 * A list field's arguments (an @ArgsType class) repeat: `bids(first: 10)` under each of a page's
 * 50 needs, in every request of a client. class-validator walks every validated class's
 * metadata for each object it validates, so those validations cost more than resolving the
 * fields; what an @ArgsType class accepted is remembered by value (their validators are pure:
 * the same value is always accepted the same way) and handed out as a fresh copy.
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

  private readonly accepted = new Map<ArgumentMetadata['metatype'], LRUCache<string, object>>();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (!isArgsObject(metadata)) return this.check(value, metadata);
    const json = JSON.stringify(value);
    if (json === undefined || json.length > MEMO_MAX_JSON) return this.check(value, metadata);
    let memo = this.accepted.get(metadata.metatype!);
    const known = memo?.get(json);
    if (known) return Object.assign(Object.create(Object.getPrototypeOf(known) as object), known);
    const result = await this.check(value, metadata);
    // Flat values only: the copy handed out is shallow, so nothing nested is ever shared.
    if (result !== null && typeof result === 'object' && Object.values(result).every(isScalar)) {
      if (!memo) this.accepted.set(metadata.metatype!, (memo = new LRUCache({ max: 200 })));
      memo.set(json, Object.assign(Object.create(Object.getPrototypeOf(result) as object), result));
    }
    return result;
  }

  private async check(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Client input only: GraphQL arguments, HTTP bodies, queries and route params. Parents,
    // contexts and custom decorators pass untouched: Nest applies global pipes to every
    // resolver parameter, and validating each parent object of every field would cost more
    // than resolving it.
    if (!CLIENT_INPUT.has(String(metadata.type))) return value;
    const malformed = malformedTextAt(value, metadata.data ?? '');
    if (malformed) {
      const field =
        malformed.path.length > 200 ? `${malformed.path.slice(0, 200)}…` : malformed.path;
      throw new DomainError(
        ErrorCode.BAD_USER_INPUT,
        malformed.tooDeep
          ? `${field || 'The input'}: nested more than ${MAX_INPUT_DEPTH} levels deep`
          : `${field}: must be well-formed text without NUL characters`,
        { field },
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
