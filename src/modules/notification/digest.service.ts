import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { digestMail } from './mail-content.js';
import { DigestRepository } from './digest.repository.js';
import { Mailer } from './mailer.js';
import { NotificationChannel } from './notification-kind.js';

export const PLAN_DIGESTS_JOB = 'notifications.plan-digests';
export const SEND_DIGEST_JOB = 'notifications.send-digest';

/**
 * Daily e-mail digests, on the job queue, when SMTP_URL is set. A cron job (DIGEST_CRON, sent
 * by one instance) makes each person's digest of the day in one transaction (one per person and
 * day: a unique key) and sends one job per digest in it. Each send job locks its digest, skips
 * it if it went already, hands it to the relay and marks it SENT in the same transaction: a
 * relay failure rolls back and the job is retried with backoff. If the process dies after the
 * relay accepted and before the commit, the retry sends it again with the same Message-ID,
 * which mail systems recognise as one message. GraphQL requests never wait for the relay.
 */
@Injectable()
export class DigestService implements OnModuleInit {
  private readonly logger = new Logger(DigestService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly digests: DigestRepository,
    private readonly jobs: JobQueue,
    private readonly mailer: Mailer,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.mailer.enabled) return;
    await this.jobs.define({
      name: PLAN_DIGESTS_JOB,
      cron: this.config.mail.digestCron,
      retryLimit: 3,
      handler: () => this.plan(),
    });
    await this.jobs.define<{ digestId: string }>({
      name: SEND_DIGEST_JOB,
      retryLimit: 12,
      retryDelaySeconds: 2,
      expireInSeconds: 5 * 60,
      handler: ({ digestId }) => this.send(digestId),
    });
  }

  /** Makes today's digests and queues their sending; how many were made. */
  async plan(): Promise<number> {
    return this.unitOfWork.run({ actor: null }, async (tx) => {
      const made = await this.digests.plan(tx);
      // One statement for all of them, however many people get a digest today.
      await this.jobs.sendMany(
        SEND_DIGEST_JOB,
        made.map(({ id }) => ({ digestId: id })),
        { tx, singletonKeyOf: ({ digestId }) => digestId },
      );
      return made.length;
    });
  }

  /** Sends one digest unless it went already (see the class comment). */
  async send(digestId: string): Promise<void> {
    await this.unitOfWork.run({ actor: null }, async (tx) => {
      const digest = await this.digests.lock(tx, digestId);
      if (!digest || digest.status !== 'PENDING') return;
      // Re-read at sending time: someone deactivated since the digest was made, or who turned
      // the kinds off e-mail, gets nothing.
      const lines = digest.active ? await this.digests.lines(tx, digestId) : [];
      if (lines.length === 0) return this.digests.finish(tx, digestId, 'SKIPPED');
      const unsubscribe = new Map<string, string>();
      for (const kind of new Set(lines.map((line) => line.kind))) {
        unsubscribe.set(kind, await this.mailer.unsubscribeUrl(digest.employeeId, kind));
      }
      const mail = digestMail(digest, lines, this.mailer.publicUrl, unsubscribe);
      await this.mailer.send({
        ...mail,
        to: { name: digest.name, address: digest.email },
        messageId: `<digest-${digest.id}@market-based-dynamics>`,
        // Stops the digest: the kinds they chose to get at once keep coming.
        unsubscribeUrl: await this.mailer.unsubscribeUrl(
          digest.employeeId,
          '*',
          NotificationChannel.EMAIL_DIGEST,
        ),
        unsubscribeComment: 'Stop the e-mail digest',
      });
      await this.digests.finish(tx, digestId, 'SENT');
      this.logger.log(`digest ${digestId} sent (${lines.length} notifications)`);
    });
  }
}
