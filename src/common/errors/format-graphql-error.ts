import { HttpException, HttpStatus } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  GraphQLError,
  Kind,
  parse,
  visit,
  type ASTNode,
  type DocumentNode,
  type Source,
  type GraphQLFormattedError,
  type ValueNode,
} from 'graphql';
import { DomainError, serviceUnavailable, type DomainErrorDetails } from './domain-error.js';
import { ErrorCode } from './error-code.js';
import { isPoolExhausted, PgErrorCode, pgError } from './postgres-errors.js';

type ReportUnexpected = (error: unknown) => void;

/** A node written inside an argument, with its path from the argument: `input.skills.1.level`. */
interface PlacedNode {
  node: ASTNode;
  path: string;
}

/** Every value, list item and input field written in the document's arguments, with its path. */
function argumentValues(document: DocumentNode): PlacedNode[] {
  const placed: PlacedNode[] = [];
  const walk = (value: ValueNode, path: string): void => {
    placed.push({ node: value, path });
    if (value.kind === Kind.LIST) value.values.forEach((item, i) => walk(item, `${path}.${i}`));
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        placed.push({ node: field, path: `${path}.${field.name.value}` });
        walk(field.value, `${path}.${field.name.value}`);
      }
    }
  };
  visit(document, { Argument: (argument) => walk(argument.value, argument.name.value) });
  return placed;
}

/** Per query text, once however many errors point into it (Apollo reuses parsed documents). */
const documentBySource = new WeakMap<Source, DocumentNode | null>();
const placedBySource = new WeakMap<Source, PlacedNode[]>();

/**
 * The document an error points into, parsed again (Apollo does not hand it to the formatter),
 * and only when something was refused.
 */
function documentOf(error: GraphQLError): DocumentNode | null {
  const source = error.source;
  if (!source) return null;
  if (!documentBySource.has(source)) {
    let document: DocumentNode | null;
    try {
      document = parse(source);
    } catch {
      document = null;
    }
    documentBySource.set(source, document);
  }
  return documentBySource.get(source) ?? null;
}

/** What is written in the arguments of the document an error points into. */
function argumentValuesOf(error: GraphQLError): PlacedNode[] {
  const source = error.source;
  if (!source) return [];
  let placed = placedBySource.get(source);
  if (!placed) {
    const document = documentOf(error);
    placed = document ? argumentValues(document) : [];
    placedBySource.set(source, placed);
  }
  return placed;
}

/**
 * Where a domain error's field is in the request. Services name the field of the thing they
 * act on (`amount`, `skills.2`); a mutation takes it as its one `input` argument, so there the
 * field is `input.amount`. Queries' arguments are the fields themselves (`id`, `first`), and an
 * error inside a mutation's payload (a nested field's own arguments) is not the input's.
 */
function requestField(error: unknown, field: string): string {
  if (!(error instanceof GraphQLError) || error.path?.length !== 1) return field;
  if (field === 'input' || field.startsWith('input.')) return field;
  const start = error.nodes?.[0]?.loc?.start;
  const operation = documentOf(error)?.definitions.find(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      start !== undefined &&
      definition.loc !== undefined &&
      definition.loc.start <= start &&
      start < definition.loc.end,
  );
  const isMutation =
    operation?.kind === Kind.OPERATION_DEFINITION && operation.operation === 'mutation';
  return isMutation ? `input.${field}` : field;
}

const samePlace = (a: ASTNode, b: ASTNode): boolean =>
  a.kind === b.kind && a.loc !== undefined && a.loc.start === b.loc?.start;

/** The argument path of a value written in the document that graphql-js refused. */
function inlineField(error: GraphQLError, message: string): string | undefined {
  const node = error.nodes?.[0];
  if (!node || node.kind === Kind.VARIABLE) return undefined;
  const placed = argumentValuesOf(error).find((p) => samePlace(p.node, node));
  if (!placed) return undefined;
  // An input object missing a required field: name the field.
  const missing = /^Field "(?:[^".]+\.)?([^".]+)" of required type "[^"]+" was not provided/.exec(
    message,
  );
  return node.kind === Kind.OBJECT && missing ? `${placed.path}.${missing[1]}` : placed.path;
}

/**
 * Where a variable is used: its path from the argument it fills (`input.hoursPerWeek` for
 * `postNeed(input: { hoursPerWeek: $h })`), so that a value is named the same whether it was
 * written in the document or sent as a variable, whatever the variable is called.
 */
function variablePlace(error: GraphQLError, name: string): string | undefined {
  const definition = error.nodes?.[0];
  if (definition?.kind !== Kind.VARIABLE_DEFINITION) return undefined;
  const uses = argumentValuesOf(error).filter(
    (p) => p.node.kind === Kind.VARIABLE && p.node.name.value === name,
  );
  // Variables belong to their operation: its first use after the definition is in that
  // operation when it has one there; otherwise it is used in a fragment.
  const start = definition.loc?.start ?? 0;
  const following = uses.filter(({ node }) => (node.loc?.start ?? -1) > start);
  return (following[0] ?? uses[0])?.path;
}

/** The offending field of a variable graphql-js could not coerce: `input.skills.1.level`. */
function variableField(error: GraphQLError, message: string): string | undefined {
  const match =
    /^Variable "\$([^"]+)" (?:got invalid value .*?(?: at "([^"]+)")?; (.*)|of (?:required|non-null) type .*)$/s.exec(
      message,
    );
  if (!match) return undefined;
  const [, name, at, reason] = match;
  // graphql-js starts the path at the variable's name: `input.skills[1].level`.
  const within = (at ?? name).slice(name.length).replace(/\[(\d+)\]/g, '.$1');
  const inner =
    reason && /^Field "([^"]+)" (?:is not defined by type|of required type)/.exec(reason);
  const place = variablePlace(error, name) ?? name;
  return `${place}${within}${inner ? `.${inner[1]}` : ''}`;
}

/** An argument left out or not in the schema, by graphql-js's own wording (graphql 16). */
const ARGUMENT_PROBLEMS = [
  /^(?:Field|Directive) "[^"]+" argument "([^"]+)" of type "[^"]+" is required, but it was not provided/,
  /^Unknown argument "([^"]+)"/,
];

/**
 * The field to name when the request holds a value that does not fit the schema; undefined
 * when the problem is something else. A bad value is BAD_USER_INPUT naming the same field
 * whether it was written in the document (refused by validation) or sent as a variable
 * (refused by coercion); anything else wrong with the document keeps graphql-js's code.
 */
function badValueField(error: unknown, message: string): string | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  if (message.startsWith('Variable "$')) {
    const field = variableField(error, message);
    if (field !== undefined) return field;
  }
  for (const pattern of ARGUMENT_PROBLEMS) {
    const match = pattern.exec(message);
    if (match) return match[1];
  }
  return inlineField(error, message);
}

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
      if (field === undefined) return shape(cause.code, cause.message, undefined, details);
      const placed = requestField(error, field);
      // A message that starts by naming its field names it as the client wrote it.
      const message = cause.message.startsWith(`${field}: `)
        ? `${placed}${cause.message.slice(field.length)}`
        : cause.message;
      return shape(cause.code, message, placed, details);
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

    if (isPoolExhausted(cause)) {
      const { message, code, details } = serviceUnavailable();
      return shape(code, message, undefined, details);
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
      if (
        database.code === PgErrorCode.INVALID_TEXT_REPRESENTATION ||
        database.code === PgErrorCode.INVALID_DATETIME_FORMAT
      ) {
        return shape(ErrorCode.BAD_USER_INPUT, 'A value is not in the expected format');
      }
      if (
        database.code === PgErrorCode.NUMERIC_VALUE_OUT_OF_RANGE ||
        database.code === PgErrorCode.DATETIME_FIELD_OVERFLOW
      ) {
        return shape(ErrorCode.BAD_USER_INPUT, 'A value is out of the range it may take');
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
    if (!(cause instanceof Error) || cause === error || code === ErrorCode.BAD_USER_INPUT) {
      const field = badValueField(error, formatted.message);
      if (field !== undefined) return shape(ErrorCode.BAD_USER_INPUT, formatted.message, field);
      if (typeof code === 'string' && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
        return shape(code, formatted.message);
      }
    }

    reportUnexpected(cause);
    return shape(ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
  };
}
