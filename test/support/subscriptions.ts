import type { EventEmitter } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import type { PubSubEngine } from 'graphql-subscriptions';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscriber {
  client: Client;
  /** Resolves with the next event, or rejects with the subscription's error. */
  next(): Promise<any>;
  close(): Promise<void>;
}

/** A graphql-ws client on the service, signed in with `token`, subscribed to one operation. */
export function subscribe(
  baseUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown>,
): Subscriber {
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    // Connection failures reach the subscription's error sink; no console noise.
    onNonLazyError: () => undefined,
  });
  const events: any[] = [];
  const waiting: { resolve: (event: any) => void; reject: (error: unknown) => void }[] = [];
  let failure: unknown;
  const deliver = (event: any): void => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(event);
    else events.push(event);
  };
  const fail = (error: unknown): void => {
    failure = error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  client.subscribe({ query, variables }, { next: deliver, error: fail, complete: () => undefined });
  return {
    client,
    next: () =>
      events.length > 0
        ? Promise.resolve(events.shift())
        : failure
          ? Promise.reject(failure)
          : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
    close: async () => client.dispose(),
  };
}

/** Listeners on a topic: the in-memory PubSub's emitter's or, with Redis, PUBSUB NUMSUB. */
export async function listenerCount(pubSub: PubSubEngine, topic: string): Promise<number> {
  if (pubSub instanceof RedisPubSub) {
    const [, listeners] = (await pubSub.getPublisher().pubsub('NUMSUB', topic)) as [string, number];
    return Number(listeners);
  }
  return (pubSub as unknown as { ee: EventEmitter }).ee.listenerCount(topic);
}

/**
 * graphql-ws acknowledges a subscription before the server has attached it to the PubSub
 * topic. Waits (polling, bounded) until a listener is attached, so an event published next
 * cannot be missed: the in-memory PubSub's emitter or, with Redis, PUBSUB NUMSUB. Stops early,
 * resolving, once `signal` is aborted.
 */
export async function listenerAttached(
  pubSub: PubSubEngine,
  topic: string,
  atLeast = 1,
  signal?: AbortSignal,
): Promise<void> {
  const count = () => listenerCount(pubSub, topic);
  const deadline = Date.now() + 10_000;
  while ((await count()) < atLeast) {
    if (signal?.aborted) return;
    if (Date.now() > deadline) throw new Error(`no listener attached to ${topic}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits (polling, bounded) until at most `atMost` listeners are left on a topic. */
export async function listenersDetached(
  pubSub: PubSubEngine,
  topic: string,
  atMost = 0,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await listenerCount(pubSub, topic)) > atMost) {
    if (Date.now() > deadline) {
      throw new Error(`${await listenerCount(pubSub, topic)} listeners still on ${topic}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
