import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import { notFound } from '../../common/errors/domain-error.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { AuditListener } from '../../common/unit-of-work/audit-listener.js';
import type { AuditRecord } from '../../common/unit-of-work/audit-trail.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import { NotificationChannel, NotificationKind, type FollowSubject } from './notification-kind.js';
import { rulesFor } from './notification-rules.js';
import type {
  MarkNotificationsReadPayload,
  Notification,
  NotificationPreference,
} from './notification.model.js';
import { NotificationRepository } from './notification.repository.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { SEND_EMAIL_JOB, type SendEmailJob } from './instant-mail.service.js';
import { Mailer } from './mailer.js';

/** The topic a person's new notifications are published on (through Redis when configured). */
export const notificationTopic = (employeeId: string): string => `notification:${employeeId}`;

/** What travels on the topic (Redis carries JSON): the subscriber reads the notification. */
export interface NotificationEvent {
  notificationId: string;
}

/**
 * Writes inboxes: the unit of work's AuditListener. Every audited change is heard in its own
 * transaction; the rules of notification-rules.ts say who is told what; what was written is
 * published to each recipient once the transaction commits, and the jobs that e-mail it to
 * those who want it at once are queued in the transaction (InstantMailService sends them).
 */
@Injectable()
export class NotificationListener extends AuditListener {
  constructor(
    private readonly repository: NotificationRepository,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {
    super();
  }

  async heard(tx: Tx, record: AuditRecord): Promise<void> {
    if (!record.subjectId) return;
    const payload = record.payload ?? {};
    const rules = rulesFor(record.action, record.subjectType).filter(
      (rule) => !rule.when || rule.when(payload),
    );
    if (rules.length === 0) return;
    const written = await this.repository.insertFor(
      tx,
      { subjectId: record.subjectId, payload, actorId: record.actorId },
      rules,
    );
    for (const notification of written) {
      tx.afterCommit(() =>
        this.pubSub.publish(notificationTopic(notification.recipientId), {
          notificationId: notification.id,
        } satisfies NotificationEvent),
      );
    }
    const toEmail = written.filter((notification) => notification.emailNow);
    if (toEmail.length && this.mailer.enabled) {
      await this.jobs.sendMany<SendEmailJob>(
        SEND_EMAIL_JOB,
        toEmail.map((notification) => ({ notificationId: notification.id })),
        { tx },
      );
    }
  }
}

/** Reading and keeping one's inbox, follows and preferences. */
@Injectable()
export class NotificationService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly repository: NotificationRepository,
  ) {}

  inbox(
    actor: Pick<Actor, 'id'>,
    unreadOnly: boolean,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Notification>> {
    return this.repository.page(actor.id, unreadOnly, first, after);
  }

  /** One of the caller's notifications; NOT_FOUND for anyone else's. */
  async findOwn(actor: Pick<Actor, 'id'>, id: string): Promise<Notification> {
    const notification = await this.repository.findById(id);
    if (!notification || notification.recipientId !== actor.id) throw notFound('Notification');
    return notification;
  }

  unreadCount(actor: Pick<Actor, 'id'>): Promise<number> {
    return this.repository.unreadCount(actor.id);
  }

  /** Marks some (or, without ids, all) of the caller's notifications read. Not audited. */
  async markRead(
    actor: Pick<Actor, 'id'>,
    ids: string[] | undefined,
  ): Promise<MarkNotificationsReadPayload> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const marked = await this.repository.markRead(tx, actor.id, ids ?? null);
      return { marked, unreadCount: await this.repository.unreadCount(actor.id, tx) };
    });
  }

  /** Follows (or stops following) something the caller may see; NOT_FOUND otherwise. */
  async follow(
    actor: Pick<Actor, 'id'>,
    subjectType: FollowSubject,
    subjectId: string,
    following: boolean,
  ): Promise<void> {
    if (following && !(await this.repository.visible(actor.id, subjectType, subjectId))) {
      throw notFound(subjectType, 'subjectId');
    }
    await this.unitOfWork.run({ actor }, (tx) =>
      following
        ? this.repository.follow(tx, actor.id, subjectType, subjectId)
        : this.repository.unfollow(tx, actor.id, subjectType, subjectId),
    );
  }

  /** Every kind, with the caller's channel for it (INBOX unless they chose otherwise). */
  async preferences(actor: Pick<Actor, 'id'>): Promise<NotificationPreference[]> {
    const chosen = new Map(
      (await this.repository.preferences(actor.id)).map((p) => [p.kind, p.channel]),
    );
    return Object.values(NotificationKind).map((kind) => ({
      kind,
      channel: chosen.get(kind) ?? NotificationChannel.INBOX,
    }));
  }

  async setPreference(
    actor: Pick<Actor, 'id'>,
    kind: NotificationKind,
    channel: NotificationChannel,
  ): Promise<NotificationPreference> {
    await this.unitOfWork.run({ actor }, (tx) =>
      this.repository.setPreference(tx, actor.id, kind, channel),
    );
    return { kind, channel };
  }
}
