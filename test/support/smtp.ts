import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP relay in the test process (smtp-server): it keeps every message it accepts,
 * parsed (mailparser), and can refuse the next messages (a relay that fails: 451) or hold them
 * unanswered (a relay that stalls) until released.
 */
export class TestRelay {
  readonly received: ParsedMail[] = [];
  /** The relay refuses this many messages before it accepts any. */
  refuseNext = 0;
  /** While true the relay takes each message's data and does not answer it. */
  stall = false;
  /** Messages held while stalling: calling one accepts it. */
  readonly held: (() => void)[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (this.refuseNext > 0) {
          this.refuseNext--;
          return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        }
        const accept = () =>
          void simpleParser(Buffer.concat(chunks)).then((mail) => {
            this.received.push(mail);
            callback();
          });
        if (this.stall) this.held.push(accept);
        else accept();
      });
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** SMTP_URL for the service. */
  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
