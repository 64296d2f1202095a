import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type {
  AfterQueryEvent,
  BeforeQueryEvent,
  EntitySubscriberInterface,
  QueryRunner,
} from 'typeorm';
import { StatementCounter } from './statement-counter.js';

/**
 * The attribute every span of a request carries: the id pino-http gave it (x-request-id); a
 * job's id for a job run; the id generated per subscription over WebSocket.
 */
export const ATTR_REQUEST_ID = 'request.id';

/** Statement text on a span is cut here (never with its parameters: they hold people's data). */
const MAX_QUERY_TEXT = 2_000;

/**
 * A span per SQL statement of traced work, child of the span open in its scope (a GraphQL
 * operation's, a REST request's, a subscription's start or event, a job run's: see
 * RequestScope.span), with the scope's id: a TypeORM subscriber, installed only with tracing
 * on (see ObservabilityModule). TypeORM announces a statement just before sending it and again
 * when it has its answer; a query runner's statements are answered in the order sent (one
 * connection), so each runner keeps its open spans in order. Statements outside traced work
 * (boot, migrations, pg-boss's own queries on its own pool) make no span.
 */
export class SqlSpans implements EntitySubscriberInterface {
  private readonly open = new WeakMap<QueryRunner, (Span | undefined)[]>();

  constructor(private readonly tracer: Tracer) {}

  beforeQuery({ queryRunner, query }: BeforeQueryEvent): void {
    const scope = StatementCounter.scope();
    const parent = scope?.span;
    // Kept in step with afterQuery even when nothing is recorded.
    const span =
      parent?.isRecording() === true
        ? this.tracer.startSpan(
            operationOf(query),
            {
              kind: SpanKind.CLIENT,
              attributes: {
                'db.system.name': 'postgresql',
                'db.operation.name': operationOf(query),
                'db.query.text':
                  query.length > MAX_QUERY_TEXT ? query.slice(0, MAX_QUERY_TEXT) : query,
                ...(scope?.requestId ? { [ATTR_REQUEST_ID]: scope.requestId } : {}),
              },
            },
            trace.setSpan(ROOT_CONTEXT, parent),
          )
        : undefined;
    const spans = this.open.get(queryRunner);
    if (spans) spans.push(span);
    else this.open.set(queryRunner, [span]);
  }

  afterQuery({ queryRunner, success, error }: AfterQueryEvent): void {
    const span = this.open.get(queryRunner)?.shift();
    if (!span) return;
    if (!success) {
      const code = (error as { driverError?: { code?: unknown }; code?: unknown } | undefined)
        ?.code;
      span.setAttribute('db.response.status_code', String(code ?? 'unknown'));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}

/** `SELECT`, `INSERT`, `WITH`…: the statement's first word. */
function operationOf(query: string): string {
  return /^\s*(\w+)/.exec(query)?.[1]?.toUpperCase() ?? 'SQL';
}
