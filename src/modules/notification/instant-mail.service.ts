import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { instantMail } from './mail-content.js';
import { Mailer } from './mailer.js';
import { NotificationRepository } from './notification.repository.js';

/** One job per notification to e-mail at once; sent by NotificationListener in its transaction. */
export const SEND_EMAIL_JOB = 'notifications.send-email';

export interface SendEmailJob {
  notificationId: string;
}

/**
 * Immediate e-mails (the EMAIL_NOW channel), when SMTP_URL is set. The job that sends one is
 * written in the transaction of the change it tells about, so none is lost and none is sent for
 * a change that rolled back. Like a digest, the job takes its notification's e-mail lock (an
 * advisory lock, never the row: a stalled relay holds up no request), skips it if it went
 * already, by itself or in a digest (or its recipient left, or no longer wants the kind e-mailed
 * at once), hands it to the relay and marks it e-mailed in one transaction; a relay failure is retried with backoff, and a
 * resend after a crash carries the same Message-ID. GraphQL requests never wait for the relay.
 */
@Injectable()
export class InstantMailService implements OnModuleInit {
  private readonly logger = new Logger(InstantMailService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.mailer.enabled) return;
    await this.jobs.define<SendEmailJob>({
      name: SEND_EMAIL_JOB,
      retryLimit: 12,
      retryDelaySeconds: 2,
      expireInSeconds: 5 * 60,
      // One need can match hundreds of people: they are e-mailed as fast as the relay takes
      // them, not one per polling interval.
      batchSize: 20,
      handler: ({ notificationId }) => this.send(notificationId),
    });
  }

  /** Sends one notification unless it went already (see the class comment). */
  async send(notificationId: string): Promise<void> {
    await this.unitOfWork.run({ actor: null }, async (tx) => {
      const notification = await this.notifications.lockForEmail(tx, notificationId);
      if (!notification || notification.emailedAt || !notification.wanted) return;
      const { recipientId, kind } = notification;
      const unsubscribeUrl = await this.mailer.unsubscribeUrl(recipientId, kind);
      await this.mailer.send({
        ...instantMail(notification, this.mailer.publicUrl, unsubscribeUrl),
        to: { name: notification.name, address: notification.email },
        messageId: `<notification-${notification.id}@market-based-dynamics>`,
        unsubscribeUrl,
        unsubscribeComment: `Stop e-mailing ${kind}`,
      });
      await this.notifications.markEmailed(tx, notification.id);
      this.logger.log(`notification ${notification.id} e-mailed`);
    });
  }
}
