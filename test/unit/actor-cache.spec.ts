import type { PubSubEngine } from 'graphql-subscriptions';
import type { UnitOfWork } from '../../src/common/unit-of-work/unit-of-work.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { ActorCache } from '../../src/modules/auth/actor-cache.js';
import type { ActorSession } from '../../src/modules/employee/employee.service.js';

/** A pub/sub that hands the test the one listener ActorCache subscribes. */
function fakePubSub() {
  let listener: ((event: unknown) => void) | undefined;
  const pubSub = {
    subscribe: async (_topic: string, onMessage: (event: unknown) => void) => {
      listener = onMessage;
      return 1;
    },
    unsubscribe: () => undefined,
  } as unknown as PubSubEngine;
  return { pubSub, announce: (event: unknown) => listener?.(event) };
}

describe(ActorCache.name, () => {
  const session = { actor: { id: 'e1' }, sessionVersion: 3 } as unknown as ActorSession;

  it('does not keep an actor read while that employee’s sessions were ended elsewhere', async () => {
    const { pubSub, announce } = fakePubSub();
    const sut = new ActorCache({ commits: 0 } as UnitOfWork, pubSub, {
      actorCacheMs: 60_000,
    } as AppConfig);
    await sut.onModuleInit();
    // Another instance commits the sign-out and announces it while this read is in flight:
    // the read may have seen the row before that commit.
    await sut.load('e1', async () => {
      announce({ employeeId: 'e1', sessionVersion: 4 });
      return session;
    });
    expect(sut.get('e1')).toBeUndefined();
  });

  it('keeps an actor read when nothing ended meanwhile', async () => {
    const { pubSub } = fakePubSub();
    const sut = new ActorCache({ commits: 0 } as UnitOfWork, pubSub, {
      actorCacheMs: 60_000,
    } as AppConfig);
    await sut.onModuleInit();
    await sut.load('e1', async () => session);
    expect(sut.get('e1')).toBe(session);
  });
});
