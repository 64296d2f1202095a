import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { LRUCache } from 'lru-cache';
import { SESSIONS_ENDED_TOPIC, type SessionsEndedEvent } from '../../common/auth/sessions-ended.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import type { ActorSession } from '../employee/employee.service.js';

interface Entry {
  session: ActorSession;
  /** `ActorCache.generation` before the actor was read. */
  generation: number;
}

/**
 * Audited actions that change nothing an actor is made of (the employee row's standing, role,
 * home team and session version; team memberships; initiatives owned or joined): market,
 * ledger, timesheet, idea-funding and comment work, and the system's sweeps of them. A commit
 * that records only these keeps this instance's cached actors; any other action (a role, a
 * membership, an initiative started, anything added later and not listed here) drops them all.
 */
export const ACTIONS_THAT_LEAVE_ACTORS_ALONE: ReadonlySet<string> = new Set([
  'auth.login',
  'auth.refused',
  'bid.accept',
  'bid.place',
  'bid.reject',
  'bid.withdraw',
  'comment.add',
  'comment.delete',
  'comment.edit',
  'comment.hide',
  'engagement.complete',
  'engagement.logTime',
  'idea.edit',
  'idea.pledge',
  'idea.propose',
  'idea.submit',
  'initiative.recordMeasurement',
  'ledger.allocate',
  'ledger.transfer',
  'need.close',
  'need.edit',
  'need.post',
  'need.raiseRate',
  'timesheet.approve',
  'timesheet.autoApprove',
  'timesheet.dispute',
]);

/**
 * Actors read by earlier requests of this instance, for queries (never for mutations or
 * subscription events, which read the actor afresh): a query then costs no statement for its
 * actor. An entry lives ACTOR_CACHE_MS at most, and goes sooner when
 * - this instance commits an audited change other than the market's and the ledger's everyday
 *   work (ACTIONS_THAT_LEAVE_ACTORS_ALONE): a role, a membership, a deactivation made here is
 *   seen by the next request here, even one that committed while the entry was read;
 * - any instance ends the employee's sessions (sign-out everywhere, a new password or role,
 *   deactivation), announced on SESSIONS_ENDED_TOPIC (through Redis when configured).
 * So a change made on another instance that ends no session (joining an initiative, say) is
 * seen by this instance's queries within ACTOR_CACHE_MS.
 */
@Injectable()
export class ActorCache implements OnModuleInit, OnModuleDestroy {
  private readonly entries?: LRUCache<string, Entry>;
  private subscription?: number;
  /** Ended-sessions announcements heard so far: a read they overlapped may predate one. */
  private sessionsEnded = 0;
  /** This instance's commits that may have changed an actor, so far. */
  private generation = 0;

  constructor(
    unitOfWork: UnitOfWork,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
    @InjectConfig() config: AppConfig,
  ) {
    if (config.actorCacheMs > 0) {
      this.entries = new LRUCache<string, Entry>({ max: 10_000, ttl: config.actorCacheMs });
      unitOfWork.onCommit((actions) => {
        if (actions.some((action) => !ACTIONS_THAT_LEAVE_ACTORS_ALONE.has(action))) {
          this.generation++;
        }
      });
    }
  }

  async onModuleInit(): Promise<void> {
    if (!this.entries) return;
    this.subscription = await this.pubSub.subscribe(
      SESSIONS_ENDED_TOPIC,
      (event: SessionsEndedEvent) => {
        this.sessionsEnded++;
        this.entries?.delete(event.employeeId);
      },
      {},
    );
  }

  onModuleDestroy(): void {
    if (this.subscription !== undefined) this.pubSub.unsubscribe(this.subscription);
  }

  /** The employee's actor as a recent request read it, if nothing has changed since. */
  get(employeeId: string): ActorSession | undefined {
    const entry = this.entries?.get(employeeId);
    if (!entry) return undefined;
    if (entry.generation === this.generation) return entry.session;
    this.entries!.delete(employeeId);
    return undefined;
  }

  /**
   * Reads the employee's actor with `load` (afresh) and keeps it; a commit of this instance
   * during the read that may change actors makes it stale at once. One read while any instance
   * announced ended sessions is not kept: it may have seen the row before that commit, and the
   * announcement's delete has already run.
   */
  async load(
    employeeId: string,
    load: (employeeId: string) => Promise<ActorSession | undefined>,
  ): Promise<ActorSession | undefined> {
    const generation = this.generation;
    const sessionsEnded = this.sessionsEnded;
    const session = await load(employeeId);
    if (session && this.entries && this.sessionsEnded === sessionsEnded) {
      this.entries.set(employeeId, { session, generation });
    } else this.entries?.delete(employeeId);
    return session;
  }
}
