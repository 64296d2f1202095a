import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  GraphQLError,
  isListType,
  isObjectType,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { SubscribePayload } from 'graphql-ws';
import { ErrorCode } from '../errors/error-code.js';
import { everyChildPagesItself, pagesItself, type ListLimit } from './list-limits.js';

/** Limits on the shape of a document, checked before anything runs. */
export const QUERY_LIMITS = {
  /** Deep enough for needs → bids → bidder → skills → skill with connections between. */
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 10,
  /** Tokens in the document, counted while parsing. */
  maxTokens: 3_000,
  /**
   * The most a connection's `first` can ask for (checked again by validation, which refuses
   * more); a field whose `first` has another cap says so with its `maxItems` (list-limits.ts).
   */
  maxPage: 100,
} as const;

/** A query refused for its shape or cost: QUERY_TOO_COMPLEX, HTTP 400, no resolver has run. */
export const queryTooComplex = (message: string): GraphQLError =>
  new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 } },
  });

const isConnection = (type: GraphQLNamedType): boolean =>
  isObjectType(type) && type.name.endsWith('Connection');

/**
 * A field taking `first` costs its items' cost times `first`, clamped to 0 and its cap (so a
 * negative or huge value, refused anyway by validation, cannot lower the price of its
 * siblings); any other list, or connection, costs its items times its documented maximum
 * (`maxItems`, list-limits.ts). A connection's own `nodes` and `edges`, and a list sized by its
 * parent's `first` (unless it takes its own paging arguments), are already priced by that
 * `first`. A list with no maximum is refused
 * rather than priced at a guess: test/list-limits.e2e.spec.ts keeps the schema free of them
 * (introspection's lists describe the schema, whose size the code fixes, and cost 1).
 */
const estimator: ComplexityEstimator = ({ args, childComplexity, field, node, type }) => {
  const limit = (field.extensions ?? {}) as ListLimit;
  // A deprecated `first` that pages a child connection: the child prices itself wherever it
  // takes its own paging arguments, and is priced by this `first` wherever it does not.
  if (limit.firstPagesChild && everyChildPagesItself(node, limit.firstPagesChild)) {
    return 1 + childComplexity;
  }
  if (limit.sizeFromParentFirst && !pagesItself(node)) return undefined;
  if (typeof args.first === 'number') {
    const cap = limit.maxItems ?? QUERY_LIMITS.maxPage;
    return 1 + childComplexity * Math.min(Math.max(args.first, 0), cap);
  }
  // Introspection lists the schema itself: its size is fixed by the code, not by any data.
  if (type.name.startsWith('__')) return undefined;
  if (isConnection(type) && (field.name === 'nodes' || field.name === 'edges')) return undefined;
  const returnsMany =
    isListType(getNullableType(field.type)) || isConnection(getNamedType(field.type));
  if (!returnsMany) return undefined;
  if (typeof limit.maxItems === 'number') return 1 + childComplexity * limit.maxItems;
  throw queryTooComplex(
    `This query could not be priced: ${type.name}.${field.name} has no documented maximum`,
  );
};

/** The estimated cost of an operation; undefined when its variables do not fit it. */
export function costOf(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
): number | undefined {
  try {
    return getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      estimators: [estimator, simpleEstimator({ defaultComplexity: 1 })],
    });
  } catch (error) {
    // Variables that do not fit the operation: execution refuses the whole operation with
    // BAD_USER_INPUT before any resolver runs, so there is nothing to price. Anything else
    // is refused rather than let through unpriced.
    if (error instanceof GraphQLError && /^Variable "\$/.test(error.message)) return undefined;
    if (error instanceof GraphQLError && error.extensions.code === ErrorCode.QUERY_TOO_COMPLEX)
      throw error;
    throw queryTooComplex('This query could not be priced');
  }
}

function refuseIfTooCostly(cost: number | undefined, maxCost: number): void {
  if (cost !== undefined && cost > maxCost) {
    throw queryTooComplex(
      `This query could cost ${cost}, more than the ${maxCost} allowed: ask for fewer items (smaller first) or fewer fields`,
    );
  }
}

/**
 * Refuses, after validation and before execution, operations whose estimated cost passes
 * `maxCost`: each field costs 1, and whatever sits under a field taking `first` costs that
 * many times over (defaults included), so `needs(first: 100) { bids(first: 100) { … } }`
 * is priced as the 10 000 bids it could return.
 */
function costLimitPlugin(maxCost: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const cost = costOf(
            schema,
            document,
            request.operationName ?? undefined,
            request.variables ?? {},
          );
          refuseIfTooCostly(cost, maxCost);
        },
      };
    },
  };
}

export interface QueryLimitOptions {
  maxCost: number;
  /** Introspection allowed (and field suggestions shown). */
  introspection: boolean;
}

function armorOf(options: QueryLimitOptions) {
  const reject: GraphQLArmorRejectCallback = (context, error) =>
    context?.reportError(queryTooComplex(error.message));
  const refusal = { propagateOnRejection: false, onReject: [reject] };
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...refusal },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...refusal },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...refusal },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !options.introspection },
  }).protect();
}

/**
 * graphql-armor's limits on depth, aliases and directives as validation rules (their
 * refusals carry QUERY_TOO_COMPLEX), field suggestions masked unless introspection is on,
 * and the cost limit above. Token counting is graphql-js's own `maxTokens` parse option.
 */
export function queryLimits(options: QueryLimitOptions): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
} {
  const armor = armorOf(options);
  return {
    plugins: [...(armor.plugins as ApolloServerPlugin[]), costLimitPlugin(options.maxCost)],
    validationRules: armor.validationRules as ValidationRule[],
  };
}

/** A graphql-js error with the code Apollo gives the same error over HTTP (unless it has one). */
const coded = (error: GraphQLError, code: string): GraphQLError =>
  new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { code, ...error.extensions },
  });

/**
 * The same limits on the WebSocket endpoint, which graphql-ws serves without Apollo: tokens
 * counted while parsing, only subscriptions (queries and mutations go over HTTP), the armor
 * rules, no introspection unless enabled, and the cost limit priced with the subscription's
 * own variables. Returns the parsed document, or the errors to answer with.
 */
export function subscriptionOperation(
  options: QueryLimitOptions,
): (schema: GraphQLSchema, payload: SubscribePayload) => DocumentNode | GraphQLError[] {
  const rules = [
    ...specifiedRules,
    ...(armorOf(options).validationRules as ValidationRule[]),
    ...(options.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return (schema, payload) => {
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: QUERY_LIMITS.maxTokens });
    } catch (error) {
      if (!(error instanceof GraphQLError)) return [queryTooComplex('Unreadable query')];
      return [coded(error, 'GRAPHQL_PARSE_FAILED')];
    }
    const operation = getOperationAST(document, payload.operationName);
    if (operation?.operation !== 'subscription') {
      return [
        new GraphQLError(
          'Only subscriptions are served over WebSocket: send queries and mutations over HTTP',
          { extensions: { code: ErrorCode.BAD_USER_INPUT } },
        ),
      ];
    }
    const errors = validate(schema, document, rules);
    if (errors.length > 0) return errors.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
    try {
      const variables = payload.variables ?? {};
      refuseIfTooCostly(
        costOf(schema, document, payload.operationName ?? undefined, variables),
        options.maxCost,
      );
    } catch (error) {
      return [error as GraphQLError];
    }
    return document;
  };
}
