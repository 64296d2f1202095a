import { ROOT_CONTEXT, type Tracer } from '@opentelemetry/api';
import type PgBoss from 'pg-boss';
import { ATTR_REQUEST_ID, SpanKind, SpanStatusCode } from '../../common/observability/tracing.js';
import { StatementCounter } from '../../database/statement-counter.js';

/**
 * A span per attempt of a job, kind CONSUMER, named `job <queue name>`: from the worker handing
 * it over to the handler returning or throwing (status ERROR). Each attempt is a trace of its
 * own (the sender's trace is not carried in the job), and the span is the attempt's scope's
 * (RequestScope.span), so the handler's SQL statements are its children. Its `request.id` is
 * the job's id, the one the job's log lines name. Messaging attributes as the (incubating)
 * semantic conventions name them, `messaging.system` too for the tools that still read it.
 */
export class JobTracing {
  constructor(private readonly tracer: Tracer) {}

  attempt<T>(job: PgBoss.JobWithMetadata<object>, work: () => Promise<T>): Promise<T> {
    const span = this.tracer.startSpan(
      `job ${job.name}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'pg-boss',
          'messaging.system.name': 'pg-boss',
          'messaging.operation.type': 'process',
          'messaging.destination.name': job.name,
          'messaging.message.id': job.id,
          'pgboss.job.retry_count': job.retryCount,
          'pgboss.job.retry_limit': job.retryLimit,
          [ATTR_REQUEST_ID]: job.id,
        },
      },
      ROOT_CONTEXT,
    );
    return StatementCounter.run(
      async () => {
        try {
          return await work();
        } catch (error) {
          span.setAttribute(
            'error.type',
            error instanceof Error ? error.constructor.name : typeof error,
          );
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: error instanceof Error ? error.message : String(error),
          });
          throw error;
        } finally {
          span.end();
        }
      },
      job.id,
      span,
    );
  }
}
