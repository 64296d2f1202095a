import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import type { GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { AppConfig } from '../../config/app-config.js';
import {
  badUserInputStatusPlugin,
  createGraphQLErrorFormatter,
} from '../errors/format-graphql-error.js';
import { DateTimeScalar } from './date-time.scalar.js';
import { QUERY_LIMITS, queryLimits, webSocketLimits } from './query-limits.js';
import { statementCountPlugin } from './statement-count.plugin.js';
import { subscriptionsOverHttpRefused } from './subscriptions-over-http.plugin.js';
import { connectionAuthorization, createGraphQLContext } from './graphql-context.js';
import { unexpectedErrorLog } from './unexpected-error-log.plugin.js';

/** Checks the bearer token a WebSocket client sends when it connects. */
export type VerifyAuthorization = (authorization: string | undefined) => Promise<boolean>;

const logger = new Logger('GraphQL');

export function graphqlOptions(
  config: AppConfig,
  verifyAuthorization: VerifyAuthorization,
): Omit<ApolloDriverConfig, 'driver'> {
  const report = (error: unknown, requestId?: unknown) =>
    logger.error(
      `${requestId === undefined ? '' : `request ${String(requestId)}: `}${
        error instanceof Error ? (error.stack ?? error.message) : String(error)
      }`,
    );
  // Over HTTP, unexpected errors are reported by unexpectedErrorLog, with the request's id.
  const formatError = createGraphQLErrorFormatter(() => undefined);
  // graphql-ws does not go through Apollo: its results get the same error formatting here.
  const formatAndReport = createGraphQLErrorFormatter((error) => report(error));
  const formatErrors = (errors: readonly GraphQLError[]) =>
    errors.map((e) => formatAndReport(e.toJSON(), e));
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
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // No valid token, no connection (closed with 4403); each subscription is then
        // authorised like any query, by the access guard and its resolver.
        onConnect: (ctx) => verifyAuthorization(connectionAuthorization(ctx.connectionParams)),
        ...webSocketLimits(limitOptions),
        onNext: (_ctx, _id, _payload, _args, result) =>
          result.errors ? { ...result, errors: formatErrors(result.errors) } : result,
        // Passed through to graphql-ws at run time, though Nest's type omits it.
        ...({ onError: (...[, , , errors]) => formatErrors(errors) } satisfies Pick<
          ServerOptions,
          'onError'
        >),
      },
    },
    introspection: config.graphql.introspection,
    // The Apollo sandbox loads from a CDN; this service must work offline.
    playground: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of GraphQL answers here: without this plugin's per-field hook, Apollo
      // resolves fields without wrapping each one.
      ApolloServerPluginCacheControlDisabled(),
      ...limits.plugins,
      unexpectedErrorLog(report),
      subscriptionsOverHttpRefused,
      badUserInputStatusPlugin,
      ...(config.sqlStatementHeader ? [statementCountPlugin] : []),
    ],
    csrfPrevention: true,
    // No automatic persisted queries: Apollo's default lets anyone, signed in or not, store
    // documents in each instance's memory, and no client of this API needs them (README).
    persistedQueries: false,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    autoTransformHttpErrors: false,
    // Nest would reset every executed operation's status to 200, whatever its errors' codes:
    // the status is badUserInputStatusPlugin's to decide.
    preserveHttpStatusForExecutionErrors: false,
    formatError,
  };
}
