import { Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../../common/auth/access.js';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { NotificationChannel, NotificationKind } from './notification-kind.js';
import { NotificationService } from './notification.service.js';
import { readUnsubscribeToken } from './unsubscribe-token.js';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1>${body}</body></html>`;

/**
 * The unsubscribe links of e-mails (digests and immediate ones), which work without signing in: the token in the link
 * (signed with the service's secret, for one person and one kind, or `*` for all) is the
 * authority. GET only shows a button (link scanners follow GETs); POST (the button, or a mail
 * client's one-click List-Unsubscribe-Post) stops the e-mail, keeping the inbox.
 */
@Controller('notifications/unsubscribe')
@Public()
export class UnsubscribeController {
  constructor(
    private readonly notifications: NotificationService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get()
  async confirm(@Query('token') token: unknown, @Res() response: Response): Promise<void> {
    const request = await this.read(token);
    if (!request) return this.refuse(response);
    const what =
      request.kind !== '*'
        ? request.kind
        : request.channel === NotificationChannel.EMAIL_DIGEST
          ? 'any notification in the daily digest'
          : 'any notification';
    response.type('html').send(
      page(
        'Stop the e-mail?',
        `<p>No more e-mail about ${what}; your inbox keeps them.</p>
<form method="post"><input type="hidden" name="token" value="${String(token)}"><button>Stop e-mailing</button></form>`,
      ),
    );
  }

  @Post()
  @HttpCode(200)
  async stop(@Query('token') token: unknown, @Res() response: Response): Promise<void> {
    const request = await this.read(token);
    if (!request) return this.refuse(response);
    const kinds =
      request.kind === '*' ? Object.values(NotificationKind) : [request.kind as NotificationKind];
    // Read once: only the kinds they get by e-mail change (to the inbox); by the token's
    // channel only, when it names one (the digest's link for every kind stops the digest).
    const stops = (channel: NotificationChannel | undefined) =>
      (channel === NotificationChannel.EMAIL_DIGEST || channel === NotificationChannel.EMAIL_NOW) &&
      (!request.channel || request.channel === channel);
    const channels = new Map(
      (await this.notifications.preferences({ id: request.employeeId })).map((p) => [
        p.kind,
        p.channel,
      ]),
    );
    for (const kind of kinds) {
      if (stops(channels.get(kind))) {
        await this.notifications.setPreference(
          { id: request.employeeId },
          kind,
          NotificationChannel.INBOX,
        );
      }
    }
    response.type('html').send(page('Done', '<p>You will get no more e-mail about it.</p>'));
  }

  private async read(token: unknown) {
    if (typeof token !== 'string' || token.length > 2000) return undefined;
    const request = await readUnsubscribeToken(this.config.jwt.secret, token);
    const known = (Object.values(NotificationKind) as string[]).includes(request?.kind ?? '');
    return request && (request.kind === '*' || known) ? request : undefined;
  }

  private refuse(response: Response): void {
    response
      .status(400)
      .type('html')
      .send(page('This link does not work', '<p>It is incomplete, altered or too old.</p>'));
  }
}
