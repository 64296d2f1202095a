import type { NextFunction, Request, Response } from 'express';
import { StatementCounter } from '../../database/statement-counter.js';
import { ATTR_REQUEST_ID, SpanKind, SpanStatusCode, Tracing } from './tracing.js';

/**
 * Paths with no REST span: GraphQL has its own (graphqlTracingPlugin), and the probes and
 * scrapes would only drown the traces that matter.
 */
const UNTRACED_PATHS = new Set(['/graphql', '/health', '/metrics']);

/**
 * A span per request to a REST route (SCIM, CSV exports, the pages, unsubscribe links), kind
 * SERVER, from the request reaching the router to its answer leaving: named `GET
 * /scim/v2/Users/:id` by the route that answered it (`GET` alone when none did), with the HTTP
 * semantic conventions' attributes, status ERROR on a 5xx, child of the caller's `traceparent`
 * if any. It is the request's span (RequestScope.span): the SQL statements the request sends
 * become its children. Mounted after the middleware that opens the request's scope, so that
 * requests refused before it (rate limit, unreadable body) make no span.
 */
export function httpTracing(tracer: NonNullable<Tracing['tracer']>) {
  return function traceHttpRequest(req: Request, res: Response, next: NextFunction): void {
    const scope = StatementCounter.scope();
    // Express matches paths case-insensitively and ignores a trailing slash.
    const path = req.path.toLowerCase().replace(/\/+$/, '');
    if (!scope || UNTRACED_PATHS.has(path)) return next();
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.path,
          'url.scheme': req.protocol,
          ...(scope.requestId ? { [ATTR_REQUEST_ID]: scope.requestId } : {}),
        },
      },
      Tracing.callerContext(req.headers),
    );
    scope.span = span;
    res.once('close', () => {
      // Set by the router once a route matched (Nest mounts every route on the app's router).
      const route: unknown = req.route?.path;
      if (typeof route === 'string') {
        span.setAttribute('http.route', req.baseUrl + route);
        span.updateName(`${req.method} ${req.baseUrl}${route}`);
      }
      // A client that went away before the answer was sent leaves no status code to report.
      if (res.writableFinished) {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) {
          span.setAttribute('error.type', String(res.statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      span.end();
      if (scope.span === span) scope.span = undefined;
    });
    next();
  };
}
