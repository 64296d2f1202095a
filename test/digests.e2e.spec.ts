import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { DigestService } from '../src/modules/notification/digest.service.js';
import { InstantMailService } from '../src/modules/notification/instant-mail.service.js';
import { findViolations } from '../src/database/invariants.js';
import { Factory } from './support/factories.js';
import { expectOk, Market } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/poll.js';
import { TestRelay } from './support/smtp.js';

/**
 * Issue 15, "e-mail digests (and an immediate e-mail for chosen kinds)": a real SMTP server in
 * this process, two service instances with workers on one database, and the messages received
 * exactly once, retried when the relay fails.
 */
describe('E-mail digests and immediate e-mails', () => {
  let database: OwnDatabase;
  const relay = new TestRelay();
  const { received } = relay;
  let a: TestApp;
  let b: TestApp;

  const PREFER = `mutation($input: SetNotificationPreferenceInput!) {
    setNotificationPreference(input: $input) { kind channel }
  }`;

  beforeAll(async () => {
    database = await ownDatabase();
    await relay.start();
    const env = {
      SMTP_URL: relay.url,
      PUBLIC_URL: 'https://mbd.example.com',
      JOBS_WORKERS: 'true',
      JOBS_POLL_INTERVAL_MS: '500',
      // Planned by the test, not by the clock.
      DIGEST_CRON: '0 0 1 1 *',
    };
    a = await startTestApp(env, database.url);
    b = await startTestApp(env, database.url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await relay.close();
    await database.drop();
  });

  it('sends each person one digest of the kinds they chose, once, across two instances', async () => {
    const factory = new Factory(a);
    const market = new Market(a, factory);
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    const quiet = await factory.person();
    // The lead wants bids by e-mail; the worker wants acceptances; `quiet` wants nothing.
    expectOk(
      await a.gql(PREFER, { input: { kind: 'BID_RECEIVED', channel: 'EMAIL_DIGEST' } }, lead.token),
    );
    expectOk(
      await a.gql(
        PREFER,
        { input: { kind: 'BID_ACCEPTED', channel: 'EMAIL_DIGEST' } },
        worker.token,
      ),
    );
    const needId = await market.postNeed(lead, team, {
      title: 'Inventory count',
      hoursPerWeek: 2,
      weeks: 1,
    });
    const bidId = await market.bid(worker, needId, 2);
    await market.bid(quiet, needId, 1);
    await market.engage(lead, bidId);

    // The relay fails the first attempt: that digest is retried, not lost, not doubled.
    relay.refuseNext = 1;
    const planned = await Promise.all([
      a.app.get(DigestService).plan(),
      b.app.get(DigestService).plan(),
    ]);
    expect(planned.reduce((sum, n) => sum + n, 0)).toBe(2);
    await until('both digests are sent', async () => {
      const [{ n }] = await a.dataSource.query(
        `SELECT count(*)::int AS n FROM notification_digest WHERE status = 'SENT'`,
      );
      return n === 2;
    });
    // Planning again the same day makes nothing new.
    expect(await b.app.get(DigestService).plan()).toBe(0);

    const to = (person: typeof lead) =>
      received.filter((mail) =>
        (Array.isArray(mail.to) ? mail.to : [mail.to]).some((address) =>
          address?.text.includes(person.employee.email),
        ),
      );
    expect(to(lead)).toHaveLength(1);
    expect(to(worker)).toHaveLength(1);
    expect(to(quiet)).toHaveLength(0);
    expect(received).toHaveLength(2);

    const [mail] = to(lead);
    expect(mail.subject).toBe(`2 updates for ${new Date().toISOString().slice(0, 10)}`);
    expect(mail.text).toContain(`${worker.employee.name} bid on your need “Inventory count”`);
    expect(mail.text).toContain(`${quiet.employee.name} bid on your need “Inventory count”`);
    expect(mail.text).toContain('https://mbd.example.com/graphiql?query=');
    expect(mail.html).toContain('<a href="https://mbd.example.com/graphiql?query=');
    expect(mail.messageId).toMatch(/^<digest-[0-9a-f-]+@market-based-dynamics>$/);
    // One-click unsubscribe (RFC 8058) for mail clients (mailparser groups List-* headers).
    const header = (key: string) => mail.headerLines.find((line) => line.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(header('list-unsubscribe')).toContain('/notifications/unsubscribe?token=');
    const [workerMail] = to(worker);
    expect(workerMail.text).toContain(
      `${lead.employee.name} accepted your bid on “Inventory count”`,
    );
    expect(workerMail.text).not.toContain('bid on your need');

    // The unsubscribe link works without signing in: GET asks, POST stops the e-mail.
    const link = /https:\/\/mbd\.example\.com(\/notifications\/unsubscribe\?token=\S+)/.exec(
      mail.text ?? '',
    )![1];
    const asked = await fetch(`${a.url}${link}`);
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('<button>Stop e-mailing</button>');
    const stopped = await fetch(`${a.url}${link}`, { method: 'POST' });
    expect(stopped.status).toBe(200);
    const preferences = await a.gql(`{ notificationPreferences { kind channel } }`, {}, lead.token);
    expect(preferences.data!.notificationPreferences).toContainEqual({
      kind: 'BID_RECEIVED',
      channel: 'INBOX',
    });
    const forged = await fetch(`${a.url}${link.slice(0, -3)}abc`, { method: 'POST' });
    expect(forged.status).toBe(400);
    expect(await findViolations((sql) => a.dataSource.query(sql))).toEqual([]);
  }, 90_000);

  it('sends nothing that was turned off, or to someone deactivated, after the digest was made', async () => {
    // One instance without workers: the test runs the send jobs itself, between changes. On a
    // database of its own: the other instances' workers would send the digests before the
    // changes (they did, now and then).
    const own = await ownDatabase();
    const solo = await startTestApp(
      {
        SMTP_URL: relay.url,
        JOBS_WORKERS: 'false',
        DIGEST_CRON: '0 0 1 1 *',
      },
      own.url,
    );
    try {
      const factory = new Factory(solo);
      const market = new Market(solo, factory);
      const { team, lead } = await market.buyer();
      const changedMind = await factory.person();
      const leaver = await factory.person();
      for (const person of [lead, changedMind, leaver]) {
        for (const kind of ['BID_RECEIVED', 'BID_ACCEPTED', 'BID_REJECTED']) {
          expectOk(
            await solo.gql(PREFER, { input: { kind, channel: 'EMAIL_DIGEST' } }, person.token),
          );
        }
      }
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1 });
      await market.engage(lead, await market.bid(changedMind, needId, 2));
      await market.bid(leaver, needId, 1).catch(() => undefined);
      const digests = solo.app.get(DigestService);
      // The digests exist (and their send jobs wait: nobody works them in this test)…
      expect(await digests.plan()).toBeGreaterThanOrEqual(2);
      const ids = async (person: typeof lead) =>
        (
          await solo.dataSource.query(`SELECT id FROM notification_digest WHERE employee_id = $1`, [
            person.employee.id,
          ])
        ).map((row: { id: string }) => row.id) as string[];
      // …then one person turns the kind off and another leaves, before they are sent.
      expectOk(
        await solo.gql(
          PREFER,
          { input: { kind: 'BID_ACCEPTED', channel: 'INBOX' } },
          changedMind.token,
        ),
      );
      const admin = await factory.admin();
      expectOk(
        await solo.gql(
          `mutation($id: ID!) { deactivateEmployee(input: { employeeId: $id }) { employee { id } } }`,
          { id: lead.employee.id },
          admin.token,
        ),
      );
      const toThem = () =>
        received.filter((mail) =>
          [changedMind, lead].some(
            (person) => mail.to && JSON.stringify(mail.to).includes(person.employee.email),
          ),
        ).length;
      for (const id of [...(await ids(changedMind)), ...(await ids(lead))]) {
        await digests.send(id);
      }
      expect(toThem()).toBe(0);
      const statuses = await solo.dataSource.query(
        `SELECT status FROM notification_digest WHERE employee_id = ANY($1)`,
        [[changedMind.employee.id, lead.employee.id]],
      );
      expect(statuses).toEqual([{ status: 'SKIPPED' }, { status: 'SKIPPED' }]);
    } finally {
      await solo.close();
      await own.drop();
    }
  });

  it('e-mails a kind chosen for it at once: once across two instances, retried, never again in a digest', async () => {
    const factory = new Factory(a);
    const market = new Market(a, factory);
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    const other = await factory.person();
    expectOk(
      await a.gql(PREFER, { input: { kind: 'BID_ACCEPTED', channel: 'EMAIL_NOW' } }, worker.token),
    );
    const needId = await market.postNeed(lead, team, {
      title: 'Returns desk',
      hoursPerWeek: 2,
      weeks: 1,
    });
    const bidId = await market.bid(worker, needId, 2);
    await market.bid(other, needId, 1);
    const before = received.length;
    // The relay refuses the first attempt: the e-mail is retried, not lost, not doubled.
    relay.refuseNext = 1;
    await market.engage(lead, bidId);
    const [{ id }] = await a.dataSource.query(
      `SELECT id FROM notification WHERE recipient_id = $1 AND kind = 'BID_ACCEPTED'`,
      [worker.employee.id],
    );
    await until('the acceptance is e-mailed', async () => {
      const [row] = await a.dataSource.query(`SELECT emailed_at FROM notification WHERE id = $1`, [
        id,
      ]);
      return row.emailed_at !== null;
    });
    // Running its job again (a retry after a crash) sends nothing more.
    await b.app.get(InstantMailService).send(id);
    const mails = received.slice(before);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.messageId).toBe(`<notification-${id}@market-based-dynamics>`);
    expect((Array.isArray(mail.to) ? mail.to : [mail.to])[0]?.text).toContain(
      worker.employee.email,
    );
    expect(mail.subject).toBe(`${lead.employee.name} accepted your bid on “Returns desk”`);
    expect(mail.text).toContain('https://mbd.example.com/graphiql?query=');
    expect(mail.html).toContain(`${lead.employee.name} accepted your bid on “Returns desk”`);
    const header = (key: string) => mail.headerLines.find((line) => line.key === key)?.line;
    expect(header('list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    // The other bidder (inbox only) and the lead got no e-mail.
    expect(mails.filter((m) => /notification-/.test(m.messageId ?? '') && m !== mail)).toHaveLength(
      0,
    );

    // What went at once is never carried by a digest, even if the kind moves to the digest.
    expectOk(
      await a.gql(
        PREFER,
        { input: { kind: 'BID_ACCEPTED', channel: 'EMAIL_DIGEST' } },
        worker.token,
      ),
    );
    await a.app.get(DigestService).plan();
    const digests = await a.dataSource.query(
      `SELECT id FROM notification_digest WHERE employee_id = $1`,
      [worker.employee.id],
    );
    expect(digests).toEqual([]);

    // Its one-click unsubscribe link stops e-mailing that kind (whichever e-mail channel).
    expectOk(
      await a.gql(PREFER, { input: { kind: 'BID_ACCEPTED', channel: 'EMAIL_NOW' } }, worker.token),
    );
    const link = /<https:\/\/mbd\.example\.com(\/notifications\/unsubscribe\?token=[^>]+)>/.exec(
      header('list-unsubscribe') ?? '',
    )![1];
    expect((await fetch(`${a.url}${link}`, { method: 'POST' })).status).toBe(200);
    const preferences = await a.gql(
      `{ notificationPreferences { kind channel } }`,
      {},
      worker.token,
    );
    expect(preferences.data!.notificationPreferences).toContainEqual({
      kind: 'BID_ACCEPTED',
      channel: 'INBOX',
    });
  }, 90_000);

  it('a dead relay neither fails nor delays the change; its e-mail waits in the queue', async () => {
    // A database of its own: the other instances' workers (with a live relay) must not take
    // this instance's jobs.
    const own = await ownDatabase();
    // A port nobody listens on: connections are refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dead = await startTestApp(
      {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        JOBS_WORKERS: 'true',
        JOBS_POLL_INTERVAL_MS: '500',
        DIGEST_CRON: '0 0 1 1 *',
      },
      own.url,
    );
    try {
      const factory = new Factory(dead);
      const market = new Market(dead, factory);
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      expectOk(
        await dead.gql(
          PREFER,
          { input: { kind: 'BID_ACCEPTED', channel: 'EMAIL_NOW' } },
          worker.token,
        ),
      );
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1 });
      // The acceptance commits and answers as usual (engage asserts it).
      await market.engage(lead, await market.bid(worker, needId, 2));
      const [{ id }] = await dead.dataSource.query(
        `SELECT id FROM notification WHERE recipient_id = $1 AND kind = 'BID_ACCEPTED'`,
        [worker.employee.id],
      );
      // Its job was tried, failed on the relay, and waits for a retry; nothing is marked sent.
      await until('the e-mail job has failed once', async () => {
        const [job] = await dead.dataSource.query(
          `SELECT retry_count FROM pgboss.job
            WHERE name = 'notifications.send-email' AND data->>'notificationId' = $1`,
          [id],
        );
        return (job?.retry_count ?? 0) >= 1;
      });
      const [row] = await dead.dataSource.query(
        `SELECT emailed_at FROM notification WHERE id = $1`,
        [id],
      );
      expect(row.emailed_at).toBeNull();
    } finally {
      await dead.close();
      await own.drop();
    }
  }, 90_000);
});
