import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import {
  CloseCode,
  handleProtocols,
  makeServer,
  type Context as ConnectionContext,
  type ServerOptions,
  type SubscribePayload,
} from 'graphql-ws';
import proxyAddr from 'proxy-addr';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import type { PubSubEngine } from 'graphql-subscriptions';
import { BearerAuthentication } from '../auth/bearer-authentication.js';
import { SESSIONS_ENDED_TOPIC, type SessionsEndedEvent } from '../auth/sessions-ended.js';
import { InjectPubSub } from '../pubsub/pubsub.module.js';
import { conflict, DomainError } from '../errors/domain-error.js';
import { RefusalRecorder } from '../errors/domain-error.filter.js';
import { ErrorCode } from '../errors/error-code.js';
import { createGraphQLErrorFormatter, domainErrorIn } from '../errors/format-graphql-error.js';
import { Metrics } from '../observability/metrics.js';
import { SubscriptionTracing } from '../observability/subscription-tracing.js';
import { Tracing } from '../observability/tracing.js';
import { RateLimits } from '../rate-limit/rate-limits.js';
import {
  connectionAuthorization,
  createGraphQLContext,
  type GraphQLContext,
} from './graphql-context.js';
import { subscriptionOperation } from './query-limits.js';

/** The largest message a socket may send; anything bigger closes it (1009) before it is read. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** Live subscriptions on one connection. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** Open connections per employee, on each instance. */
export const MAX_CONNECTIONS_PER_EMPLOYEE = 10;
/** Connections from one address that have not signed in yet, on each instance. */
export const MAX_PENDING_CONNECTIONS_PER_ADDRESS = 20;
/** How long a new socket has to send `connection_init` with a valid token. */
export const CONNECTION_INIT_TIMEOUT_MS = 3_000;
/** Pings to find dead peers; one unanswered for this long ends the connection. */
const KEEP_ALIVE_MS = 12_000;
/** setTimeout's longest delay; a token's expiry further off is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const PATH = '/graphql';

/** What the service keeps about one WebSocket connection. */
interface Connection {
  socket: WebSocket;
  request: IncomingMessage;
  address: string;
  /** Set once `connection_init` carried a valid token. */
  employeeId?: string;
  /** The session version of its token (undefined for the identity provider's tokens). */
  sessionVersion?: number;
  authorization?: string;
  /** Whom its subscriptions are counted for by the rate limits (as over HTTP). */
  rateLimitSubject?: string;
  expiryTimer?: NodeJS.Timeout;
  /**
   * Its subscriptions, by id, from the subscribe message until the operation has ended (the
   * event stream once it runs). graphql-ws forgets an id as soon as the client completes it,
   * even while that subscription is still starting; kept here, an id cannot be reused until
   * its subscription has truly ended, nor the cap dodged, and closing stops them all.
   */
  subscriptions: Map<string, AsyncIterator<unknown> | undefined>;
}

type Extra = { connection: Connection };

/**
 * The GraphQL subscription endpoint (graphql-ws protocol on /graphql), run by the service
 * itself rather than by @nestjs/graphql so that every limit sits in front of it: messages are
 * capped at 64 KB before they are read; upgrades and every message count against the address's
 * rate limit; a socket must sign in with a valid token within 3 s, and is closed when the token
 * expires; an employee has at most 10 connections and each at most 20 subscriptions; each
 * subscription counts against the employee's rate limit and is checked for shape and cost with
 * its real variables before it runs. What each subscription may see is checked again at every
 * event by its resolver (see `authorisedEvents`).
 */
@Injectable()
export class SubscriptionServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WebSocket');
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols,
  });
  private readonly connectionsByEmployee = new Map<string, number>();
  private readonly pendingByAddress = new Map<string, number>();
  private readonly connections = new WeakMap<WebSocket, Connection>();
  private sessionsEnded?: number;
  private upgradeListener?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  private readonly checkOperation: ReturnType<typeof subscriptionOperation>;
  /** With tracing on only: spans of subscriptions and their events. */
  private readonly tracing?: SubscriptionTracing;

  constructor(
    private readonly schemaHost: GraphQLSchemaHost,
    private readonly adapterHost: HttpAdapterHost,
    private readonly bearer: BearerAuthentication,
    private readonly limits: RateLimits,
    private readonly refusals: RefusalRecorder,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
    @InjectConfig() config: AppConfig,
    metrics: Metrics,
    tracing: Tracing,
  ) {
    if (tracing.tracer) this.tracing = new SubscriptionTracing(tracing.tracer);
    this.checkOperation = subscriptionOperation({
      maxCost: config.graphql.maxCost,
      introspection: config.graphql.introspection,
    });
    this.watch(metrics);
  }

  /** Open connections and subscriptions, counted when Prometheus scrapes. */
  private watch(metrics: Metrics): void {
    const connections = metrics.gauge({
      name: 'graphql_ws_connections',
      help: 'Signed-in GraphQL WebSocket connections to this instance.',
      collect: (): void => connections.set(this.stats().connections),
    });
    const subscriptions = metrics.gauge({
      name: 'graphql_ws_subscriptions',
      help: 'GraphQL subscriptions on this instance, starting (being checked) or running.',
      labelNames: ['state'] as const,
      collect: (): void => {
        const { starting, running } = this.stats();
        subscriptions.set({ state: 'starting' }, starting);
        subscriptions.set({ state: 'running' }, running);
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.sessionsEnded = await this.pubSub.subscribe(
      SESSIONS_ENDED_TOPIC,
      (event: SessionsEndedEvent) => this.closeEndedSessions(event),
      {},
    );
    const server = makeServer<Record<string, unknown>, Extra>(this.options());
    // Express's own reading of the client's address (TRUST_PROXY), for upgrades too.
    const trust = this.adapterHost.httpAdapter.getInstance<{ get(name: string): unknown }>();
    const trustProxy = trust.get('trust proxy fn') as (address: string, hop: number) => boolean;
    this.upgradeListener = (request, socket, head) => {
      socket.on('error', () => socket.destroy());
      const url = new URL(request.url ?? '/', 'http://service');
      if (url.pathname !== PATH) return void socket.destroy();
      const address = proxyAddr(request, trustProxy);
      // A place among the address's sockets not yet signed in, taken before anything is
      // awaited (so concurrent upgrades cannot all see room), given back if it never opens.
      if ((this.pendingByAddress.get(address) ?? 0) >= MAX_PENDING_CONNECTIONS_PER_ADDRESS) {
        return refuseUpgrade(socket, tooManyPending());
      }
      increment(this.pendingByAddress, address);
      let opened = false;
      socket.once('close', () => {
        if (!opened) decrement(this.pendingByAddress, address);
      });
      this.limits.countAddress(address).then(
        () =>
          this.sockets.handleUpgrade(request, socket, head, (ws) => {
            opened = true;
            this.open(server, ws, request, address);
          }),
        (refusal: unknown) => refuseUpgrade(socket, refusal),
      );
    };
    this.adapterHost.httpAdapter.getHttpServer().on('upgrade', this.upgradeListener);
  }

  /** What is open now: signed-in connections, and their subscriptions starting and running. */
  stats(): { connections: number; starting: number; running: number } {
    let connections = 0;
    let starting = 0;
    let running = 0;
    for (const socket of this.sockets.clients) {
      const connection = this.connections.get(socket);
      if (!connection?.employeeId) continue;
      connections++;
      for (const events of connection.subscriptions.values()) {
        if (events) running++;
        else starting++;
      }
    }
    return { connections, starting, running };
  }

  /**
   * An employee's sessions ended (a password or role change, signOutEverywhere): their
   * connections signed in with an older token close at once (4401), subscriptions and all.
   * (Each event would refuse that token anyway; this also ends subscriptions awaiting none.)
   */
  private closeEndedSessions({ employeeId, sessionVersion }: SessionsEndedEvent): void {
    for (const socket of this.sockets.clients) {
      const connection = this.connections.get(socket);
      if (connection?.employeeId !== employeeId) continue;
      if (connection.sessionVersion === undefined || connection.sessionVersion >= sessionVersion) {
        continue;
      }
      socket.close(CloseCode.Unauthorized, 'The session has ended: sign in again');
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sessionsEnded !== undefined) this.pubSub.unsubscribe(this.sessionsEnded);
    if (this.upgradeListener) {
      this.adapterHost.httpAdapter.getHttpServer().off('upgrade', this.upgradeListener);
    }
    for (const socket of this.sockets.clients) socket.close(1001, 'Going away');
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
  }

  /** graphql-ws on one socket, every message counted against the address first. */
  private open(
    server: ReturnType<typeof makeServer<Record<string, unknown>, Extra>>,
    socket: WebSocket,
    request: IncomingMessage,
    address: string,
  ): void {
    const connection: Connection = { socket, request, address, subscriptions: new Map() };
    this.connections.set(socket, connection);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            // With tracing on, each message in a scope of its own (see SubscriptionTracing).
            const handled = () => handle(String(data));
            this.limits.countAddress(address).then(
              () =>
                (this.tracing ? this.tracing.inScope(handled) : handled()).catch(
                  (error: unknown) => {
                    this.logger.error(`message handling failed: ${String(error)}`);
                    socket.close(CloseCode.InternalServerError, 'Internal server error');
                  },
                ),
              () => socket.close(4429, 'Too many requests'),
            );
          }),
      },
      { connection },
    );
    let alive = true;
    socket.on('pong', () => (alive = true));
    const keepAlive = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, KEEP_ALIVE_MS);
    socket.on('error', () => socket.terminate());
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      clearTimeout(connection.expiryTimer);
      for (const events of connection.subscriptions.values()) void events?.return?.();
      connection.subscriptions.clear();
      if (connection.employeeId) decrement(this.connectionsByEmployee, connection.employeeId);
      else decrement(this.pendingByAddress, address);
      void closed(code, String(reason));
    });
  }

  private options(): ServerOptions<Record<string, unknown>, Extra> {
    const report = (error: unknown) =>
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const format = createGraphQLErrorFormatter(report);
    const formatErrors = (errors: readonly GraphQLError[]) =>
      errors.map((e) => format(e.toJSON(), e));
    return {
      connectionInitWaitTimeout: CONNECTION_INIT_TIMEOUT_MS,
      onConnect: async (ctx) => this.signIn(ctx),
      onSubscribe: async (ctx, id, payload) => {
        this.tracing?.subscribing(ctx.extra.connection.request);
        const { subscriptions } = ctx.extra.connection;
        if (subscriptions.has(id)) {
          return [
            asGraphQLError(conflict(`Subscription ${id} has not ended yet: use a new id`, 'id')),
          ];
        }
        if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            asGraphQLError(
              new DomainError(
                ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection: complete one first`,
              ),
            ),
          ];
        }
        subscriptions.set(id, undefined);
        const started = await this.start(ctx, payload);
        if (Array.isArray(started)) subscriptions.delete(id);
        return started;
      },
      onOperation: (ctx, id, _payload, args, result) => {
        const { subscriptions } = ctx.extra.connection;
        if (!isAsyncIterator(result)) return undefined;
        if (subscriptions.has(id)) subscriptions.set(id, result);
        if (this.tracing) {
          (args.contextValue as GraphQLContext).eventReceived = this.tracing.running(
            args.document,
            args.operationName,
          );
        }
        return undefined;
      },
      onComplete: (ctx, id) => {
        ctx.extra.connection.subscriptions.delete(id);
      },
      onNext: async (ctx, _id, payload, _args, result) => {
        if (!result.errors) {
          this.tracing?.answered();
          return result;
        }
        await this.recordRefusals(ctx.extra.connection, payload.query, result.errors);
        const errors = formatErrors(result.errors);
        this.tracing?.answered(errors);
        return { ...result, errors };
      },
      onError: async (ctx, _id, payload, errors) => {
        await this.recordRefusals(ctx.extra.connection, payload.query, errors);
        const formatted = formatErrors(errors);
        this.tracing?.answered(formatted);
        return formatted;
      },
    };
  }

  /** A subscription counted against its employee, checked, and ready to run; or why not. */
  private async start(
    ctx: ConnectionContext<Record<string, unknown>, Extra>,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | GraphQLError[]> {
    const { connection } = ctx.extra;
    try {
      await this.limits.countEmployee(connection.rateLimitSubject ?? connection.employeeId!);
    } catch (error) {
      return [asGraphQLError(error)];
    }
    const checked = this.checkOperation(this.schemaHost.schema, payload);
    if (Array.isArray(checked)) return checked;
    this.tracing?.checked(checked, payload.operationName);
    const args: ExecutionArgs = {
      schema: this.schemaHost.schema,
      document: checked,
      operationName: payload.operationName,
      variableValues: payload.variables,
      contextValue: createGraphQLContext({
        connectionParams: ctx.connectionParams,
        extra: { request: connection.request },
        reauthenticate: async () => (await this.bearer.verify(connection.authorization)).actor,
      }),
    };
    return args;
  }

  /**
   * `connection_init`: a valid token, and room for one more connection of this employee;
   * the connection ends when the token expires.
   */
  private async signIn(ctx: ConnectionContext<Record<string, unknown>, Extra>): Promise<boolean> {
    const { connection } = ctx.extra;
    const authorization = connectionAuthorization(ctx.connectionParams);
    let verified;
    let rateLimitSubject;
    try {
      verified = await this.bearer.verify(authorization);
      rateLimitSubject = await this.bearer.subjectOf(authorization);
    } catch {
      return false; // 4403 Forbidden
    }
    // From here on nothing is awaited: the count below cannot be raced past its cap.
    const employeeId = verified.actor.id;
    if ((this.connectionsByEmployee.get(employeeId) ?? 0) >= MAX_CONNECTIONS_PER_EMPLOYEE) {
      connection.socket.close(4429, 'Too many connections');
      return false;
    }
    decrement(this.pendingByAddress, connection.address);
    increment(this.connectionsByEmployee, employeeId);
    connection.employeeId = employeeId;
    connection.sessionVersion = verified.sessionVersion;
    connection.authorization = authorization;
    connection.rateLimitSubject = rateLimitSubject;
    const expire = (): void => {
      const left = verified.expiresAt.getTime() - Date.now();
      if (left > 0) connection.expiryTimer = setTimeout(expire, Math.min(left, MAX_TIMER_MS));
      else connection.socket.close(CloseCode.Unauthorized, 'The token has expired: sign in again');
    };
    expire();
    return true;
  }

  private async recordRefusals(
    connection: Connection,
    query: string,
    errors: readonly GraphQLError[],
  ): Promise<void> {
    if (!connection.employeeId) return;
    for (const error of errors) {
      const cause = domainErrorIn(error);
      if (cause?.code !== ErrorCode.FORBIDDEN) continue;
      const field = error.path?.[0] ?? /\{\s*(\w+)/.exec(query)?.[1] ?? '?';
      await this.refusals.refused({
        actorId: connection.employeeId,
        operation: `Subscription.${String(field)}`,
        address: connection.address,
      });
    }
  }
}

const asGraphQLError = (error: unknown): GraphQLError =>
  error instanceof GraphQLError
    ? error
    : new GraphQLError(error instanceof Error ? error.message : String(error), {
        originalError: error instanceof Error ? error : undefined,
      });

const tooManyPending = (): DomainError =>
  new DomainError(ErrorCode.RATE_LIMITED, 'Too many connections waiting to sign in', {
    retryAfterSeconds: Math.ceil(CONNECTION_INIT_TIMEOUT_MS / 1000),
  });

const isAsyncIterator = (value: unknown): value is AsyncIterator<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** An upgrade refused before the handshake: a plain HTTP answer on the raw socket. */
function refuseUpgrade(socket: Duplex, refusal: unknown): void {
  const limited = refusal instanceof DomainError && refusal.code === ErrorCode.RATE_LIMITED;
  const seconds = limited ? (refusal.details.retryAfterSeconds ?? 60) : undefined;
  const status = limited ? '429 Too Many Requests' : '500 Internal Server Error';
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n` +
      (seconds ? `Retry-After: ${seconds}\r\n` : '') +
      '\r\n',
  );
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 0) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}
