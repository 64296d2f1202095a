import { randomUUID } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import { STATEMENT_COUNT_HEADER } from '../src/common/graphql/statement-count.plugin.js';
import { findViolations } from '../src/database/invariants.js';
import { DigestService } from '../src/modules/notification/digest.service.js';
import { InstantMailService } from '../src/modules/notification/instant-mail.service.js';
import { Factory, type Person } from './support/factories.js';
import { expectOk, Market, POST_NEED } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/poll.js';
import { TestRelay } from './support/smtp.js';

const PREFER = `mutation($input: SetNotificationPreferenceInput!) {
  setNotificationPreference(input: $input) { kind channel }
}`;
const MARK_READ = `mutation { markNotificationsRead(input: {}) { marked unreadCount } }`;
const PREFERENCES = `{ notificationPreferences { kind channel } }`;

const recipients = (mail: ParsedMail) =>
  (Array.isArray(mail.to) ? mail.to : [mail.to]).map((address) => address?.text ?? '').join(',');

/**
 * Attack review of the EMAIL_NOW channel (immediate e-mails): a real SMTP server in this
 * process that can hold a message (a relay that stalls), a database of the suite's own.
 */
describe('Attack: immediate e-mails (EMAIL_NOW)', () => {
  let database: OwnDatabase;
  const relay = new TestRelay();
  const { received, held } = relay;
  let sut: TestApp;
  let factory: Factory;
  let market: Market;

  const to = (person: Person) =>
    received.filter((mail) => recipients(mail).includes(person.employee.email));
  const prefer = async (person: Person, kind: string, channel: string, app = sut) =>
    expectOk(await app.gql(PREFER, { input: { kind, channel } }, person.token));

  beforeAll(async () => {
    database = await ownDatabase();
    await relay.start();
    // Workers on, at the default polling interval (2 s): what production runs.
    sut = await startTestApp(
      {
        SMTP_URL: relay.url,
        PUBLIC_URL: 'https://mbd.example.com',
        JOBS_WORKERS: 'true',
        DIGEST_CRON: '0 0 1 1 *',
      },
      database.url,
    );
    factory = new Factory(sut);
    market = new Market(sut, factory);
  });
  afterEach(async () => {
    relay.stall = false;
    held.splice(0).forEach((accept) => accept());
    expect(await findViolations((sql) => sut.dataSource.query(sql))).toEqual([]);
  });
  afterAll(async () => {
    await sut?.close();
    await relay.close();
    await database.drop();
  });

  it('a relay that stalls on a message holds up no GraphQL request (marking it read)', async () => {
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    await prefer(worker, 'BID_ACCEPTED', 'EMAIL_NOW');
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1 });
    const bidId = await market.bid(worker, needId, 2);
    relay.stall = true;
    await market.engage(lead, bidId);
    await until('the relay holds the e-mail', async () => held.length === 1);

    // The worker reads their inbox while the relay sits on the e-mail.
    let answered = false;
    const marking = sut.gql(MARK_READ, {}, worker.token).then((result) => {
      answered = true;
      return result;
    });
    const waitingOnALock = async () => {
      const [{ n }] = await sut.dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query ILIKE '%SET read_at%'`,
      );
      return n > 0;
    };
    let blocked = false;
    await until('the request answers or waits on a lock', async () => {
      blocked = await waitingOnALock();
      return answered || blocked;
    });
    relay.stall = false;
    held.splice(0).forEach((accept) => accept());
    const result = await marking;
    expectOk(result);
    expect(blocked).toBe(false);
    expect(result.data!.markNotificationsRead.unreadCount).toBe(0);
    await until('the e-mail is marked sent', async () => {
      const [row] = await sut.dataSource.query(
        `SELECT count(*)::int AS n FROM notification
          WHERE recipient_id = $1 AND kind = 'BID_ACCEPTED' AND emailed_at IS NOT NULL`,
        [worker.employee.id],
      );
      return row.n === 1;
    });
    expect(to(worker)).toHaveLength(1);
  }, 90_000);

  it('e-mails many people matched by one need promptly, queued in one statement', async () => {
    const skill = `Forklift ${randomUUID().slice(0, 6)}`;
    const { team, lead } = await market.buyer();
    const people = await Promise.all(
      Array.from({ length: 30 }, () => factory.person({ skills: [{ name: skill, level: 3 }] })),
    );
    await Promise.all(people.map((person) => prefer(person, 'NEED_MATCHES_SKILLS', 'EMAIL_NOW')));

    const statementsToPost = async (required: string) => {
      const response = await fetch(`${sut.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${lead.token}` },
        body: JSON.stringify({
          query: POST_NEED,
          variables: {
            input: {
              buyerTeamId: team.id,
              title: 'Night shift',
              description: '',
              hoursPerWeek: 1,
              weeks: 1,
              ratePerHour: 10,
              requiredSkills: [{ name: required, minLevel: 2 }],
            },
          },
        }),
      });
      expectOk((await response.json()) as never);
      return Number(response.headers.get(STATEMENT_COUNT_HEADER));
    };
    // Nobody holds this skill: nobody is e-mailed.
    const toNobody = await statementsToPost(`Nobody ${randomUUID().slice(0, 6)}`);
    const toThirty = await statementsToPost(skill);
    // Thirty e-mails are queued in one statement.
    expect(toThirty).toBeLessThanOrEqual(toNobody + 1);

    await until('everyone matched has their e-mail', async () =>
      people.every((person) => to(person).length === 1),
    );
    // "As soon as it happens": not one e-mail per polling interval (a minute for thirty), but a
    // few fetches of many (the jobs a fetch takes share its start).
    const [{ fetches }] = await sut.dataSource.query(
      `SELECT count(DISTINCT started_on)::int AS fetches FROM pgboss.job
        WHERE name = 'notifications.send-email'
          AND data->>'notificationId' IN (SELECT id::text FROM notification
                                          WHERE recipient_id = ANY($1))`,
      [people.map((person) => person.employee.id)],
    );
    expect(fetches).toBeLessThanOrEqual(3);
    for (const person of people) {
      expect(to(person)[0].subject).toBe(
        `${lead.employee.name} posted “Night shift”, which matches your skills`,
      );
    }
  }, 120_000);

  it('cuts a long subject between characters, never inside one', async () => {
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    await prefer(worker, 'BID_ACCEPTED', 'EMAIL_NOW');
    const prefix = `${lead.employee.name} accepted your bid on “`;
    // The subject is cut at 200 UTF-16 units: an emoji sits on units 199 and 200.
    const title = `${'a'.repeat(199 - prefix.length)}😀 and more`;
    const needId = await market.postNeed(lead, team, { title, hoursPerWeek: 2, weeks: 1 });
    await market.engage(lead, await market.bid(worker, needId, 2));
    await until('the acceptance is e-mailed', async () => to(worker).length === 1);
    const [mail] = to(worker);
    expect(mail.subject).not.toContain('\uFFFD');
    expect(mail.subject!.startsWith(prefix)).toBe(true);
    // The body keeps the whole title.
    expect(mail.text).toContain(`${title}”`);
  }, 60_000);

  it('the digest’s one-click unsubscribe stops the digest, not the e-mails chosen at once', async () => {
    const { team, lead } = await market.buyer();
    const worker = await factory.person();
    // The lead gets bids in the daily digest, and wants to hear at once when a need closes.
    await prefer(lead, 'BID_RECEIVED', 'EMAIL_DIGEST');
    await prefer(lead, 'NEED_CLOSED', 'EMAIL_NOW');
    const needId = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1 });
    await market.bid(worker, needId, 2);
    await sut.app.get(DigestService).plan();
    await until('the digest arrives', async () =>
      to(lead).some((mail) => /^<digest-/.test(mail.messageId ?? '')),
    );
    const digest = to(lead).find((mail) => /^<digest-/.test(mail.messageId ?? ''))!;
    const header = digest.headerLines.find((line) => line.key === 'list-unsubscribe')!.line;
    expect(header).toContain('(Stop the e-mail digest)');
    const link = /<https:\/\/mbd\.example\.com(\/notifications\/unsubscribe\?token=[^>]+)>/.exec(
      header,
    )![1];
    // A mail client's unsubscribe button on the digest (RFC 8058 one-click POST).
    expect((await fetch(`${sut.url}${link}`, { method: 'POST' })).status).toBe(200);
    const preferences = (await sut.gql(PREFERENCES, {}, lead.token)).data!.notificationPreferences;
    expect(preferences).toContainEqual({ kind: 'BID_RECEIVED', channel: 'INBOX' });
    expect(preferences).toContainEqual({ kind: 'NEED_CLOSED', channel: 'EMAIL_NOW' });
  }, 60_000);

  it('never e-mails a notification at once that a digest carried (a channel switched back and forth)', async () => {
    // An instance of its own without workers: the test runs the jobs, between changes.
    const own = await ownDatabase();
    const solo = await startTestApp(
      { SMTP_URL: relay.url, JOBS_WORKERS: 'false', DIGEST_CRON: '0 0 1 1 *' },
      own.url,
    );
    try {
      const soloMarket = new Market(solo);
      const { team, lead } = await soloMarket.buyer();
      const worker = await soloMarket.factory.person();
      await prefer(worker, 'BID_ACCEPTED', 'EMAIL_NOW', solo);
      const needId = await soloMarket.postNeed(lead, team, {
        title: 'Cold store',
        hoursPerWeek: 2,
        weeks: 1,
      });
      await soloMarket.engage(lead, await soloMarket.bid(worker, needId, 2));
      const [{ id }] = await solo.dataSource.query(
        `SELECT id FROM notification WHERE recipient_id = $1 AND kind = 'BID_ACCEPTED'`,
        [worker.employee.id],
      );
      // Its e-mail job waits (a relay down, say); meanwhile the worker moves the kind to the
      // digest, which carries it…
      await prefer(worker, 'BID_ACCEPTED', 'EMAIL_DIGEST', solo);
      expect(await solo.app.get(DigestService).plan()).toBe(1);
      const [{ id: digestId }] = await solo.dataSource.query(
        `SELECT id FROM notification_digest WHERE employee_id = $1`,
        [worker.employee.id],
      );
      await solo.app.get(DigestService).send(digestId);
      expect(to(worker)).toHaveLength(1);
      expect(to(worker)[0].text).toContain('accepted your bid on “Cold store”');
      // …then back to EMAIL_NOW, and the waiting job runs: it was e-mailed already.
      await prefer(worker, 'BID_ACCEPTED', 'EMAIL_NOW', solo);
      await solo.app.get(InstantMailService).send(id);
      expect(to(worker)).toHaveLength(1);
    } finally {
      await solo.close();
      await own.drop();
    }
  }, 90_000);
});
