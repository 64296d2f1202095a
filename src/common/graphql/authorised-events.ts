import type { Actor } from '../auth/actor.js';
import { unauthenticated } from '../errors/domain-error.js';
import type { GraphQLContext } from './graphql-context.js';
import { RequestLoaders } from './request-loaders.js';

/**
 * A subscription's events, each authorised again as it is delivered: the subscriber's rights
 * are read afresh (a lead since demoted, a token since expired) and `authorise` decides; a
 * refusal ends the subscription with that error. The event then resolves with those rights
 * and fresh loaders, so its nested fields obey the same rules as over HTTP and nothing cached
 * goes stale over a subscription's long life.
 */
export function authorisedEvents<T>(
  context: GraphQLContext,
  source: AsyncIterableIterator<T>,
  authorise: (actor: Actor, event: T) => void | Promise<void>,
): AsyncIterableIterator<T> {
  const stop = async (): Promise<IteratorResult<T>> =>
    (await source.return?.()) ?? { done: true, value: undefined };
  return {
    async next() {
      const result = await source.next();
      if (result.done) return result;
      context.eventReceived?.();
      try {
        const actor = context.reauthenticate ? await context.reauthenticate() : context.actor;
        if (!actor) throw unauthenticated();
        await authorise(actor, result.value);
        context.actor = actor;
      } catch (refusal) {
        // The caller ends the subscription on this error without returning the source.
        await stop();
        throw refusal;
      }
      context.loaders = new RequestLoaders();
      return result;
    },
    return: stop,
    throw: async (error: unknown) => {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
