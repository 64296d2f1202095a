import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';
import { getOperationAST, type DocumentNode } from 'graphql';
import { StatementCounter } from '../../database/statement-counter.js';
import { markErrors } from './graphql-tracing.plugin.js';
import { ATTR_REQUEST_ID, operationNameOnSpan, SpanKind, Tracing } from './tracing.js';

/** The span name and attributes of a subscription operation. */
function describe(
  document: DocumentNode,
  operationName: string | null | undefined,
): { name: string; attributes: Record<string, string> } | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const named = operation.name ? operationNameOnSpan(operation.name.value) : undefined;
  return {
    name: `${operation.operation} ${named ?? 'anonymous'}`,
    attributes: {
      'graphql.operation.type': operation.operation,
      ...(named ? { 'graphql.operation.name': named } : {}),
    },
  };
}

/**
 * Spans of GraphQL subscriptions over WebSocket, made by SubscriptionServer with tracing on:
 *
 * - one per subscribe message, kind SERVER, named `subscription <name>` once the operation is
 *   known (`GraphQL` before), from the message to the subscription running or being refused
 *   (status ERROR, `graphql.error.codes`), child of the upgrade request's `traceparent` if any;
 * - one per event delivered, kind CONSUMER, named `subscription <name> event`, from the event
 *   reaching the subscription to its answer leaving: a trace of its own, linked to the
 *   subscribe span (a subscription lives for hours: one trace per event stays readable).
 *
 * Each message of a socket is handled in a scope of its own with a new id (`request.id`): a
 * subscribe message's scope lasts as long as its subscription, whose events graphql-ws handles
 * one after another, so the span open in it (RequestScope.span) is the start's, then each
 * event's in turn, and the SQL statements sent meanwhile are its children.
 */
export class SubscriptionTracing {
  constructor(private readonly tracer: Tracer) {}

  /** Handles one message of a socket in a scope of its own. */
  inScope<T>(handle: () => T): T {
    return StatementCounter.run(handle, randomUUID());
  }

  /** A subscribe message arrived on the connection opened by `upgrade`. */
  subscribing(upgrade: IncomingMessage): void {
    const scope = StatementCounter.scope();
    if (!scope) return;
    scope.span = this.tracer.startSpan(
      'GraphQL',
      {
        kind: SpanKind.SERVER,
        attributes: scope.requestId ? { [ATTR_REQUEST_ID]: scope.requestId } : {},
      },
      // Browsers send no headers of their own on an upgrade; other clients may.
      Tracing.callerContext(upgrade.headers),
    );
  }

  /** The subscribe message's operation passed its checks: the span is named after it. */
  checked(document: DocumentNode, operationName: string | null | undefined): void {
    const span = StatementCounter.scope()?.span;
    const operation = describe(document, operationName);
    if (!span || !operation) return;
    span.updateName(operation.name);
    span.setAttributes(operation.attributes);
  }

  /**
   * The subscription runs: its start's span ends. What to call as each of its events arrives
   * (see GraphQLContext.eventReceived).
   */
  running(document: DocumentNode, operationName: string | null | undefined): () => void {
    const scope = StatementCounter.scope();
    const started = scope?.span;
    started?.end();
    if (scope) scope.span = undefined;
    const operation = describe(document, operationName);
    const links = started ? [{ context: started.spanContext() }] : [];
    return () => {
      if (!scope) return;
      scope.span = this.tracer.startSpan(
        `${operation?.name ?? 'GraphQL'} event`,
        {
          kind: SpanKind.CONSUMER,
          links,
          attributes: {
            ...operation?.attributes,
            ...(scope.requestId ? { [ATTR_REQUEST_ID]: scope.requestId } : {}),
          },
        },
        ROOT_CONTEXT,
      );
    };
  }

  /**
   * An answer leaves (an event, or the errors refusing the subscription or ending it): the open
   * span, the start's or the event's, ends, marked with the errors' codes if any.
   */
  answered(errors?: readonly { extensions?: { code?: unknown } }[]): void {
    const scope = StatementCounter.scope();
    const span = scope?.span;
    if (!scope || !span) return;
    markErrors(span, errors);
    span.end();
    scope.span = undefined;
  }
}
