import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, type ValidationRule } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../errors/error-code.js';

/** Limits on the shape of a document, checked before anything runs. */
export const QUERY_LIMITS = {
  /** Deep enough for needs → bids → bidder → skills → skill with connections between. */
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 10,
  /** Tokens in the document, counted while parsing. */
  maxTokens: 3_000,
} as const;

/** A query refused for its shape or cost: QUERY_TOO_COMPLEX, HTTP 400, no resolver has run. */
export const queryTooComplex = (message: string): GraphQLError =>
  new GraphQLError(message, {
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 } },
  });

/** A connection or list with `first` costs its items' cost times `first`. */
const connectionEstimator: ComplexityEstimator = ({ args, childComplexity }) =>
  typeof args.first === 'number' ? 1 + childComplexity * args.first : undefined;

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
          let cost: number;
          try {
            cost = getComplexity({
              schema,
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch {
            // Variables that do not fit the operation: execution refuses them with
            // BAD_USER_INPUT before any resolver runs, so there is nothing to price.
            return;
          }
          if (cost > maxCost) {
            throw queryTooComplex(
              `This query could cost ${cost}, more than the ${maxCost} allowed: ask for fewer items (smaller first) or fewer fields`,
            );
          }
        },
      };
    },
  };
}

/**
 * graphql-armor's limits on depth, aliases and directives as validation rules (their
 * refusals carry QUERY_TOO_COMPLEX), field suggestions masked unless introspection is on,
 * and the cost limit above. Token counting is graphql-js's own `maxTokens` parse option.
 */
export function queryLimits(options: { maxCost: number; suggestions: boolean }): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
} {
  const reject: GraphQLArmorRejectCallback = (context, error) =>
    context?.reportError(queryTooComplex(error.message));
  const refusal = { propagateOnRejection: false, onReject: [reject] };
  const armor = new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, ...refusal },
    maxAliases: { n: QUERY_LIMITS.maxAliases, ...refusal },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, ...refusal },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !options.suggestions },
  }).protect();
  return {
    plugins: [...(armor.plugins as ApolloServerPlugin[]), costLimitPlugin(options.maxCost)],
    validationRules: armor.validationRules as ValidationRule[],
  };
}
