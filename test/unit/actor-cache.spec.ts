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

/** A unit of work that hands the test the commit listener ActorCache registers. */
function fakeUnitOfWork() {
  let listener: ((actions: readonly string[]) => void) | undefined;
  const unitOfWork = {
    onCommit: (heard: (actions: readonly string[]) => void) => {
      listener = heard;
    },
  } as unknown as UnitOfWork;
  return { unitOfWork, commit: (...actions: string[]) => listener?.(actions) };
}

describe(ActorCache.name, () => {
  const session = { actor: { id: 'e1' }, sessionVersion: 3 } as unknown as ActorSession;

  it('does not keep an actor read while that employee’s sessions were ended elsewhere', async () => {
    const { pubSub, announce } = fakePubSub();
    const sut = new ActorCache(fakeUnitOfWork().unitOfWork, pubSub, {
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
    const sut = new ActorCache(fakeUnitOfWork().unitOfWork, pubSub, {
      actorCacheMs: 60_000,
    } as AppConfig);
    await sut.onModuleInit();
    await sut.load('e1', async () => session);
    expect(sut.get('e1')).toBe(session);
  });

  it('keeps cached actors through the market’s everyday commits, drops them on any other', async () => {
    const { pubSub } = fakePubSub();
    const { unitOfWork, commit } = fakeUnitOfWork();
    const sut = new ActorCache(unitOfWork, pubSub, { actorCacheMs: 60_000 } as AppConfig);
    await sut.onModuleInit();
    await sut.load('e1', async () => session);
    commit('bid.place', 'timesheet.autoApprove', 'engagement.complete');
    expect(sut.get('e1')).toBe(session);
    commit('need.post', 'team.setMemberRole');
    expect(sut.get('e1')).toBeUndefined();
    await sut.load('e1', async () => session);
    commit('an.actionAddedLater');
    expect(sut.get('e1')).toBeUndefined();
  });

  it('does not keep an actor read while this instance committed a change of actors', async () => {
    const { pubSub } = fakePubSub();
    const { unitOfWork, commit } = fakeUnitOfWork();
    const sut = new ActorCache(unitOfWork, pubSub, { actorCacheMs: 60_000 } as AppConfig);
    await sut.onModuleInit();
    await sut.load('e1', async () => {
      commit('employee.move');
      return session;
    });
    expect(sut.get('e1')).toBeUndefined();
  });
});
