import { Injectable } from '@nestjs/common';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { unsubscribeToken } from './unsubscribe-token.js';

/** A message of the service's, to one person, with the links that stop its kinds. */
export interface OutgoingMail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** Stable per message: a resend after a crash is recognised by mail systems as one message. */
  messageId: string;
  /** The link a mail client's one-click unsubscribe (RFC 8058) follows. */
  unsubscribeUrl: string;
  unsubscribeComment: string;
}

/**
 * The mail relay (SMTP_URL) through nodemailer, shared by digests and immediate e-mails; and
 * the signed unsubscribe links their messages carry. Only jobs call `send`: a GraphQL request
 * never waits for the relay.
 */
@Injectable()
export class Mailer {
  private transport?: Transporter;

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  /** False without SMTP_URL: nothing is e-mailed, every channel is the inbox. */
  get enabled(): boolean {
    return !!this.config.mail.smtpUrl;
  }

  get publicUrl(): string {
    return this.config.mail.publicUrl;
  }

  /**
   * A link that stops e-mailing `kind` (or `*`, every kind) to the employee, without signing in;
   * through `channel` only, when given.
   */
  async unsubscribeUrl(employeeId: string, kind: string, channel?: string): Promise<string> {
    const token = await unsubscribeToken(this.config.jwt.secret, employeeId, kind, channel);
    return `${this.config.mail.publicUrl}/notifications/unsubscribe?token=${token}`;
  }

  /** Hands the message to the relay; throws (the job is retried) when it does not take it. */
  async send(mail: OutgoingMail): Promise<void> {
    const message: SendMailOptions = {
      from: this.config.mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      list: { unsubscribe: { url: mail.unsubscribeUrl, comment: mail.unsubscribeComment } },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
    await this.transporter().sendMail(message);
  }

  private transporter(): Transporter {
    if (!this.transport) {
      const url = new URL(this.config.mail.smtpUrl!);
      const secure = url.protocol === 'smtps:';
      this.transport = createTransport({
        host: url.hostname,
        port: Number(url.port) || (secure ? 465 : 587),
        secure,
        auth: url.username
          ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
          : undefined,
        // A dead relay fails the job fast (it is retried), never hangs a worker.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      });
    }
    return this.transport;
  }
}
