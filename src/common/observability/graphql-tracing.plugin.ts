import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import { StatementCounter } from '../../database/statement-counter.js';
import {
  ATTR_REQUEST_ID,
  operationNameOnSpan,
  SpanKind,
  SpanStatusCode,
  Tracing,
  type Span,
} from './tracing.js';

/** Error codes recorded on a span, at most this many distinct ones. */
const MAX_CODES_ON_SPAN = 10;

/**
 * A span per GraphQL operation over HTTP, from Apollo receiving it to the answer leaving,
 * named `<type> <name>` once the operation is known (`GraphQL` until then, e.g. unparsable),
 * child of the caller's `traceparent` if any. It is the request's span (RequestScope.span):
 * the SQL statements the operation sends become its children (see SqlSpans).
 */
export function graphqlTracingPlugin(tracer: NonNullable<Tracing['tracer']>): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      // The HTTP request of the GraphQL context (see graphql-context.ts).
      const { req } = contextValue as { req?: IncomingMessage & { id?: unknown } };
      const scope = StatementCounter.scope();
      const requestId = scope?.requestId ?? (typeof req?.id === 'string' ? req.id : undefined);
      const span = tracer.startSpan(
        'GraphQL',
        {
          kind: SpanKind.SERVER,
          attributes: requestId ? { [ATTR_REQUEST_ID]: requestId } : {},
        },
        Tracing.callerContext(req?.headers),
      );
      if (scope) scope.span = span;
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const name = operationName ? operationNameOnSpan(operationName) : undefined;
          span.updateName(`${operation.operation} ${name ?? 'anonymous'}`);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (name) span.setAttribute('graphql.operation.name', name);
        },
        async willSendResponse({ response }) {
          const body = response.body;
          markErrors(
            span,
            body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors,
          );
          span.end();
          if (scope?.span === span) scope.span = undefined;
        },
      };
    },
  };
}

/** An answer with errors: status ERROR and its distinct `extensions.code`s on the span. */
export function markErrors(
  span: Span,
  errors: readonly { extensions?: { code?: unknown } }[] | undefined,
): void {
  if (!errors?.length) return;
  const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
  span.setAttribute('graphql.error.codes', codes.slice(0, MAX_CODES_ON_SPAN));
  span.setStatus({ code: SpanStatusCode.ERROR, message: codes[0] });
}
