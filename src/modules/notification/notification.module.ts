import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditListener } from '../../common/unit-of-work/audit-listener.js';
import { FollowEntity } from './follow.entity.js';
import { NotificationPreferenceEntity } from './notification-preference.entity.js';
import { NotificationEntity } from './notification.entity.js';
import { DigestRepository } from './digest.repository.js';
import { DigestService } from './digest.service.js';
import { InstantMailService } from './instant-mail.service.js';
import { Mailer } from './mailer.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { NotificationDigestEntity } from './notification-digest.entity.js';
import { NotificationRepository } from './notification.repository.js';
import { NotificationResolver } from './notification.resolver.js';
import { NotificationListener, NotificationService } from './notification.service.js';

/**
 * Inboxes (issue 15): written by the unit of work's AuditListener from every audited change;
 * global so that the (global) unit of work finds its listener.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([
      NotificationEntity,
      FollowEntity,
      NotificationPreferenceEntity,
      NotificationDigestEntity,
    ]),
  ],
  providers: [
    NotificationRepository,
    NotificationListener,
    { provide: AuditListener, useExisting: NotificationListener },
    NotificationService,
    NotificationResolver,
    Mailer,
    DigestRepository,
    DigestService,
    InstantMailService,
  ],
  controllers: [UnsubscribeController],
  exports: [AuditListener],
})
export class NotificationModule {}
