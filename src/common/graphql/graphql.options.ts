import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { createGraphQLErrorFormatter } from '../errors/format-graphql-error.js';
import { DateTimeScalar } from './date-time.scalar.js';
import { QUERY_LIMITS, queryLimits } from './query-limits.js';
import { readRoutingPlugin } from './read-routing.plugin.js';
import { statementCountPlugin } from './statement-count.plugin.js';
import { subscriptionsOverHttpRefused } from './subscriptions-over-http.plugin.js';
import { createGraphQLContext } from './graphql-context.js';
import { unexpectedErrorLog } from './unexpected-error-log.plugin.js';
import { refusalLogPlugin, type RefusalRecord } from './refusal-log.plugin.js';
import { rateLimitPlugin } from '../rate-limit/rate-limit.plugin.js';
import type { RateLimits } from '../rate-limit/rate-limits.js';

/** What the GraphQL endpoint needs from the rest of the service. */
export interface GraphQLDependencies {
  rateLimits: RateLimits;
  /** Whom a bearer token verifiably names, for the per-employee limit. */
  rateLimitSubject: (authorization: string | undefined) => Promise<string | undefined>;
  /** Keeps a record of a FORBIDDEN answer. */
  recordRefusal: (refusal: RefusalRecord) => Promise<void>;
  /** Metrics and tracing of each operation (first: they time what the others cost too). */
  observability: ApolloServerPlugin[];
}

const logger = new Logger('GraphQL');

export function graphqlOptions(
  config: AppConfig,
  { rateLimits, rateLimitSubject, recordRefusal, observability }: GraphQLDependencies,
): Omit<ApolloDriverConfig, 'driver'> {
  const report = (error: unknown, requestId?: unknown) =>
    logger.error(
      `${requestId === undefined ? '' : `request ${String(requestId)}: `}${
        error instanceof Error ? (error.stack ?? error.message) : String(error)
      }`,
    );
  // Unexpected errors are reported by unexpectedErrorLog, with the request's id.
  const formatError = createGraphQLErrorFormatter(() => undefined);
  const limitOptions = {
    maxCost: config.graphql.maxCost,
    introspection: config.graphql.introspection,
  };
  const limits = queryLimits(limitOptions);
  return {
    // Built in memory; the committed schema.gql is checked against it by test/schema.e2e-spec.ts.
    autoSchemaFile: true,
    sortSchema: true,
    buildSchemaOptions: {
      numberScalarMode: 'integer',
      // Dates refused alike inline and as variables (Nest's own DateTime lets bad ones through).
      scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    },
    context: createGraphQLContext,
    // Subscriptions are served by SubscriptionServer (graphql-ws), with its own limits.
    introspection: config.graphql.introspection,
    // The Apollo sandbox loads from a CDN; this service must work offline.
    playground: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: limits.validationRules,
    plugins: [
      ...observability,
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL answers here: without this plugin's per-field hook, Apollo
      // resolves fields without wrapping each one.
      ApolloServerPluginCacheControlDisabled(),
      ...limits.plugins,
      rateLimitPlugin(rateLimits, rateLimitSubject),
      refusalLogPlugin(recordRefusal),
      unexpectedErrorLog(report),
      subscriptionsOverHttpRefused,
      readRoutingPlugin,
      ...(config.sqlStatementHeader ? [statementCountPlugin] : []),
    ],
    csrfPrevention: true,
    // No automatic persisted queries: Apollo's default lets anyone, signed in or not, store
    // documents in each instance's memory, and no client of this API needs them (README).
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // A RATE_LIMITED answer carries HTTP 429 and Retry-After (see DomainError.extensions), also
    // when a resolver refuses (sign-in): Nest would otherwise reset the status to 200.
    preserveHttpStatusForExecutionErrors: false,
    autoTransformHttpErrors: false,
    formatError,
  };
}
