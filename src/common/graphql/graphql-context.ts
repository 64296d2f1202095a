import type { IncomingMessage } from 'node:http';
import type { Actor } from '../auth/actor.js';
import { RequestLoaders } from './request-loaders.js';

export interface GraphQLContext {
  /** The HTTP request (for a subscription: the WebSocket upgrade request). */
  req?: IncomingMessage;
  /** `Bearer <token>`: the Authorization header, or the `authorization` connection parameter. */
  authorization?: string;
  /** Set by the access guard once the bearer token checks out. */
  actor?: Actor;
  loaders: RequestLoaders;
  /**
   * A subscription's: the actor behind its connection's token, fresh from the database, to
   * authorise each event as it is delivered (UNAUTHENTICATED once the token has expired).
   */
  reauthenticate?: () => Promise<Actor>;
  /**
   * A subscription's, with tracing on: told as each event arrives, before it is authorised and
   * resolved (its span starts there: see SubscriptionTracing).
   */
  eventReceived?: () => void;
}

interface HttpContextInput {
  req: IncomingMessage;
}

/** What the WebSocket server knows of each subscription. */
interface WebSocketContextInput {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra?: { request?: IncomingMessage };
  reauthenticate?: () => Promise<Actor>;
}

export function createGraphQLContext(
  input: HttpContextInput | WebSocketContextInput,
): GraphQLContext {
  if ('req' in input && input.req) {
    const header = input.req.headers.authorization;
    return { req: input.req, authorization: header, loaders: new RequestLoaders() };
  }
  const { connectionParams, extra, reauthenticate } = input as WebSocketContextInput;
  return {
    req: extra?.request,
    authorization: connectionAuthorization(connectionParams),
    loaders: new RequestLoaders(),
    reauthenticate,
  };
}

/** The bearer token a graphql-ws client sent in its connection parameters. */
export function connectionAuthorization(
  params?: Readonly<Record<string, unknown>>,
): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}
