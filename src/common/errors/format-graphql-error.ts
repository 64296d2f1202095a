import { HttpException, HttpStatus } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  GraphQLError,
  Kind,
  parse,
  visit,
  type GraphQLFormattedError,
  type ValueNode,
} from 'graphql';
import { DomainError, type DomainErrorDetails } from './domain-error.js';
import { ErrorCode } from './error-code.js';
import { PgErrorCode, pgError } from './postgres-errors.js';

type ReportUnexpected = (error: unknown) => void;

/** The offending field of a variable graphql-js could not coerce: `input.skills.1.level`. */
function variableField(message: string): string | undefined {
  const match = /^Variable "\$([^"]+)" got invalid value .*?(?: at "([^"]+)")?; (.*)$/s.exec(
    message,
  );
  if (!match) return undefined;
  const base = (match[2] ?? match[1]).replace(/\[(\d+)\]/g, '.$1');
  const inner = /^Field "([^"]+)" (?:is not defined by type|of required type)/.exec(match[3]);
  return inner ? `${base}.${inner[1]}` : base;
}

/** The path from its argument to a value written in the document: `filter.proposedIn.from`. */
function pathTo(value: ValueNode, start: number, path: string[]): string[] | undefined {
  if (value.loc?.start === start) return path;
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      const found = pathTo(field.value, start, [...path, field.name.value]);
      if (found) return found;
    }
  }
  if (value.kind === Kind.LIST) {
    for (const [i, item] of value.values.entries()) {
      const found = pathTo(item, start, [...path, String(i)]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The argument path of the literal a validation error points at (the AST has no parent links). */
function literalField(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const start = error.nodes?.[0]?.loc?.start;
  const body = error.source?.body;
  if (start === undefined || !body) return undefined;
  let found: string[] | undefined;
  visit(parse(body), {
    Argument(argument) {
      found ??= pathTo(argument.value, start, [argument.name.value]);
    },
  });
  return found?.join('.');
}

type FieldOf = (m: RegExpMatchArray, error: unknown) => string | undefined;

/** graphql-js's own wording for values that do not fit the schema (stable within graphql 16). */
const INPUT_PROBLEMS: { pattern: RegExp; field: FieldOf }[] = [
  { pattern: /^Variable "\$[^"]+" got invalid value/, field: (m) => variableField(m.input ?? '') },
  { pattern: /^Field "([^"]+)" is not defined by type "[^"]+"/, field: (m) => m[1] },
  {
    pattern: /^Field "[^".]+\.([^"]+)" of required type "[^"]+" was not provided/,
    field: (m) => m[1],
  },
  { pattern: /^Field "([^"]+)" of required type "[^"]+" was not provided/, field: (m) => m[1] },
  { pattern: /^Unknown argument "([^"]+)"/, field: (m) => m[1] },
  { pattern: /^Argument "([^"]+)" of (non-null )?type "[^"]+" is required/, field: (m) => m[1] },
  {
    pattern: /^(Int|Float|String|Boolean|ID|Credits|DateTime|JSONObject) cannot represent/,
    field: () => undefined,
  },
  { pattern: /^Expected value of type "[^"]+", found/, field: (_, error) => literalField(error) },
  // graphql-scalars refusing a literal (LocalDate: "2026-02-31"), in its own words.
  { pattern: /^Value is not a valid \w+: /, field: (_, error) => literalField(error) },
  { pattern: /^Enum "[^"]+" cannot represent/, field: () => undefined },
  { pattern: /^Value "[^"]+" does not exist in "[^"]+" enum/, field: () => undefined },
];

/** graphql-js's refusal of a document past the `maxTokens` parse option (its own spelling). */
const TOO_MANY_TOKENS = /^Syntax Error: Document contains more \w+ \d+ tokens/;

/** A domain error behind a GraphQL error, thrown by a resolver or a request-level plugin. */
export function domainErrorIn(error: unknown): DomainError | undefined {
  for (let e = error; e instanceof Error; e = (e as GraphQLError).originalError) {
    if (e instanceof DomainError) return e;
    if (!(e instanceof GraphQLError)) return undefined;
  }
  return undefined;
}

function refusedAsTooComplex(error: unknown): boolean {
  for (let e = error; e instanceof GraphQLError; e = e.originalError) {
    if (e.extensions.code === ErrorCode.QUERY_TOO_COMPLEX) return true;
  }
  return false;
}

/**
 * The one place where anything thrown while serving GraphQL becomes what the client sees:
 * a message and a stable `extensions.code` (plus `field` for bad input). Unknown errors are
 * reported to the log and reach the client as a bare INTERNAL_SERVER_ERROR.
 */
export function createGraphQLErrorFormatter(reportUnexpected: ReportUnexpected) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const cause = domainErrorIn(error) ?? unwrapResolverError(error);
    const { locations, path } = formatted;
    const shape = (
      code: ErrorCode | string,
      message: string,
      field?: string,
      details: Omit<DomainErrorDetails, 'field'> = {},
    ): GraphQLFormattedError => ({
      message,
      ...(locations ? { locations } : {}),
      ...(path ? { path } : {}),
      extensions: { code, ...(field ? { field } : {}), ...details },
    });

    if (cause instanceof DomainError) {
      const { field, ...details } = cause.details;
      return shape(cause.code, cause.message, field, details);
    }
    // Refused by the query limits (Apollo re-codes validation errors, so look underneath).
    if (refusedAsTooComplex(error) || TOO_MANY_TOKENS.test(formatted.message)) {
      return shape(ErrorCode.QUERY_TOO_COMPLEX, formatted.message);
    }

    if (cause instanceof HttpException) {
      const status = cause.getStatus();
      if (status === HttpStatus.UNAUTHORIZED)
        return shape(ErrorCode.UNAUTHENTICATED, cause.message);
      if (status === HttpStatus.FORBIDDEN) return shape(ErrorCode.FORBIDDEN, cause.message);
      if (status === HttpStatus.NOT_FOUND) return shape(ErrorCode.NOT_FOUND, cause.message);
      if (status === HttpStatus.BAD_REQUEST) return shape(ErrorCode.BAD_USER_INPUT, cause.message);
    }

    const database = pgError(cause);
    if (database) {
      // Services translate the constraints they expect; these are the safety net.
      if (database.code === PgErrorCode.UNIQUE_VIOLATION) {
        return shape(ErrorCode.CONFLICT, 'This conflicts with something that already exists');
      }
      if (database.code === PgErrorCode.FOREIGN_KEY_VIOLATION) {
        return shape(ErrorCode.NOT_FOUND, 'Something this refers to does not exist');
      }
      if (database.code === PgErrorCode.INVALID_TEXT_REPRESENTATION) {
        return shape(ErrorCode.BAD_USER_INPUT, 'A value is not in the expected format');
      }
      if (database.code === PgErrorCode.CHECK_VIOLATION) {
        return shape(ErrorCode.BAD_USER_INPUT, 'A value is outside what is allowed');
      }
      if (
        database.code === PgErrorCode.SERIALIZATION_FAILURE ||
        database.code === PgErrorCode.DEADLOCK_DETECTED
      ) {
        return shape(ErrorCode.CONFLICT, 'A concurrent change got in the way; retry the request');
      }
    }

    const code = formatted.extensions?.code;
    // Errors graphql-js raised before any resolver ran: the request itself is malformed.
    if (!(cause instanceof Error) || cause === error || code === 'BAD_USER_INPUT') {
      for (const problem of INPUT_PROBLEMS) {
        const match = formatted.message.match(problem.pattern);
        if (match) {
          return shape(ErrorCode.BAD_USER_INPUT, formatted.message, problem.field(match, error));
        }
      }
      if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
        return shape(code, formatted.message);
      }
    }

    reportUnexpected(cause);
    return shape(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  };
}
