import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Clock } from '../src/common/clock/clock.js';
import { Factory, LedgerProbe, type Person } from './support/factories.js';
import { Market, expectOk } from './support/market.js';
import { ownDatabase, type OwnDatabase } from './support/own-database.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/** Its own database: the whole path moves the service's clock a week on. */
describe('The internal market', () => {
  let database: OwnDatabase;
  let sut: TestApp;
  let factory: Factory;
  let market: Market;
  let probe: LedgerProbe;

  beforeAll(async () => {
    database = await ownDatabase();
    sut = await startTestApp({}, database.url);
    factory = new Factory(sut);
    market = new Market(sut, factory);
    probe = new LedgerProbe(sut.dataSource);
  });
  afterAll(async () => {
    await sut.close();
    await database.drop();
  });

  it('runs the whole path: post, bid, accept, log time week by week, approve, and the books balance', async () => {
    // Accepted on a Wednesday; the second week is a week on (the clock moved, no sleeping).
    let now = new Date('2026-03-04T12:00:00Z');
    const clock = jest.spyOn(sut.app.get(Clock), 'now').mockImplementation(() => now);
    try {
      const { team: buyer, lead } = await market.buyer(5_000);
      const supplier = await factory.team();
      const worker = await factory.person({
        team: supplier,
        skills: [{ name: 'Copywriting', level: 4 }],
      });

      const needId = await market.postNeed(lead, buyer, {
        hoursPerWeek: 3,
        weeks: 2,
        ratePerHour: 50,
        requiredSkills: [{ name: 'copywriting', minLevel: 3 }],
      });
      const bidId = await market.bid(worker, needId, 3, 40, ['Copywriting']);

      const accepted = await market.accept(lead, bidId);
      expectOk(accepted);
      // 3 h/week × 2 weeks × 40 credits asked = 240 into escrow.
      expect(accepted.data!.acceptBid).toMatchObject({
        bid: { status: 'ACCEPTED' },
        engagement: { status: 'ACTIVE', totalHours: 6, loggedHours: 0 },
        need: {
          status: 'FILLED',
          acceptedHoursPerWeek: 3,
          remainingHoursPerWeek: 0,
          escrowBalance: 240,
        },
        transfer: { amount: 240, kind: 'ESCROW_DEPOSIT' },
      });
      expect(await probe.teamBalance(buyer.id)).toBe(4_760);
      const engagementId = accepted.data!.acceptBid.engagement.id;

      // A week holds 3 hours; logged hours wait for the buyer's approval.
      expect(codes(await market.logTime(worker, engagementId, 4))).toEqual(['CONFLICT']);
      const first = await market.logTime(worker, engagementId, 3);
      expect(first.data!.logTime).toMatchObject({
        timeLog: { hours: 3, amount: 120 },
        engagement: { status: 'ACTIVE', loggedHours: 3, remainingHours: 3, paid: 0 },
      });
      expect(await probe.teamBalance(supplier.id)).toBe(0);
      expect(await market.approveWeek(lead, engagementId)).toBe(120);
      expect(await probe.teamBalance(supplier.id)).toBe(120);

      now = new Date('2026-03-11T12:00:00Z');
      expectOk(await market.logTime(worker, engagementId, 1));
      expect(await market.approveWeek(lead, engagementId)).toBe(40);
      const last = await market.logTime(worker, engagementId, 2);
      expect(last.data!.logTime.engagement).toMatchObject({
        status: 'COMPLETED',
        loggedHours: 6,
        paid: 160,
      });
      expect(await market.approveWeek(lead, engagementId)).toBe(80);

      expect(await probe.teamBalance(buyer.id)).toBe(4_760);
      expect(await probe.teamBalance(supplier.id)).toBe(240);
      expect(await probe.sumOfBalances()).toBe(0);
      expect(await probe.accountsOutOfBalance()).toEqual([]);
      const books = await sut.gql(
        `query($buyer: ID!, $supplier: ID!) {
          buyer: teamLedger(teamId: $buyer) { balance earned spent }
          supplier: teamLedger(teamId: $supplier) { balance earned spent entries(first: 3) { nodes { kind change } } }
          need(id: "${needId}") { escrowBalance status }
          engagement(id: "${engagementId}") { paid }
        }`,
        { buyer: buyer.id, supplier: supplier.id },
        lead.token,
      );
      expect(books.data).toEqual({
        buyer: { balance: 4_760, earned: 0, spent: 240 },
        supplier: {
          balance: 240,
          earned: 240,
          spent: 0,
          entries: {
            nodes: [
              { kind: 'TIME_PAYMENT', change: 80 },
              { kind: 'TIME_PAYMENT', change: 40 },
              { kind: 'TIME_PAYMENT', change: 120 },
            ],
          },
        },
        need: { escrowBalance: 0, status: 'FILLED' },
        engagement: { paid: 240 },
      });
      // The worker's hours are free again once the engagement is complete.
      const me = await sut.gql(`{ me { committedHoursPerWeek } }`, {}, worker.token);
      expect(me.data!.me.committedHoursPerWeek).toBe(0);
    } finally {
      clock.mockRestore();
    }
  });

  describe('refusals change nothing', () => {
    it('INSUFFICIENT_FUNDS when the buyer cannot pay', async () => {
      const { team, lead } = await market.buyer(100);
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team, {
        hoursPerWeek: 4,
        weeks: 2,
        ratePerHour: 20,
      });
      const bidId = await market.bid(worker, needId, 4, 20); // 160 credits > 100
      const before = await market.snapshot(needId, bidId);
      expect(codes(await market.accept(lead, bidId))).toEqual(['INSUFFICIENT_FUNDS']);
      expect(await market.snapshot(needId, bidId)).toEqual(before);
    });

    it('CAPACITY_EXCEEDED when the bidder has not the hours left', async () => {
      const worker = await factory.person({ weeklyCapacityHours: 8 });
      const { team, lead } = await market.buyer();
      const first = await market.postNeed(lead, team, { hoursPerWeek: 5 });
      const second = await market.postNeed(lead, team, { hoursPerWeek: 5 });
      const firstBid = await market.bid(worker, first, 5);
      const secondBid = await market.bid(worker, second, 5);
      await market.engage(lead, firstBid);
      const before = await market.snapshot(second, secondBid);
      expect(codes(await market.accept(lead, secondBid))).toEqual(['CAPACITY_EXCEEDED']);
      expect(await market.snapshot(second, secondBid)).toEqual(before);
    });

    it('CONFLICT when the need has too few hours left', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 10 });
      const a = await market.bid(await factory.person(), needId, 6);
      const b = await market.bid(await factory.person(), needId, 6);
      await market.engage(lead, a);
      const before = await market.snapshot(needId, b);
      expect(codes(await market.accept(lead, b))).toEqual(['CONFLICT']);
      expect(await market.snapshot(needId, b)).toEqual(before);
    });

    it('INVALID_TRANSITION for a bid or need that cannot take it', async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 8 });
      const bidId = await market.bid(worker, needId, 4);
      await market.engage(lead, bidId);
      let before = await market.snapshot(needId, bidId);
      expect(codes(await market.accept(lead, bidId))).toEqual(['INVALID_TRANSITION']);
      expect(
        codes(
          await sut.gql(
            `mutation { withdrawBid(input: { bidId: "${bidId}" }) { bid { id } } }`,
            {},
            worker.token,
          ),
        ),
      ).toEqual(['INVALID_TRANSITION']);
      expect(await market.snapshot(needId, bidId)).toEqual(before);

      const withdrawn = await market.bid(await factory.person(), needId, 2);
      const other = await factory.person();
      const lateBid = await market.bid(other, needId, 2);
      await sut.gql(
        `mutation { withdrawBid(input: { bidId: "${withdrawn}" }) { bid { id } } }`,
        {},
        (await bidderOf(withdrawn)).token,
      );
      before = await market.snapshot(needId, withdrawn);
      expect(codes(await market.accept(lead, withdrawn))).toEqual(['INVALID_TRANSITION']);
      expect(await market.snapshot(needId, withdrawn)).toEqual(before);

      expectOk(await market.close(lead, needId));
      expect(codes(await market.accept(lead, lateBid))).toEqual(['INVALID_TRANSITION']);
      expect(codes(await market.placeBid(await factory.person(), needId, 1))).toEqual([
        'INVALID_TRANSITION',
      ]);
      expect(codes(await market.close(lead, needId))).toEqual(['INVALID_TRANSITION']);
    });

    const bidders = new Map<string, Person>();
    async function bidderOf(bidId: string): Promise<Person> {
      return bidders.get(bidId)!;
    }
    beforeAll(() => {
      const original = market.bid.bind(market);
      market.bid = async (worker, needId, hours, rate, skills) => {
        const id = await original(worker, needId, hours, rate, skills);
        bidders.set(id, worker);
        return id;
      };
    });

    it('FORBIDDEN for those who do not act for the buyer, or bid on their own team', async () => {
      const { team, lead } = await market.buyer();
      const member = await factory.person({ team });
      const otherLead = (await market.buyer()).lead;
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team);
      const bidId = await market.bid(worker, needId);
      const before = await market.snapshot(needId, bidId);
      for (const outsider of [member, otherLead, worker]) {
        expect(codes(await market.accept(outsider, bidId))).toEqual(['FORBIDDEN']);
        expect(
          codes(
            await sut.gql(
              `mutation { rejectBid(input: { bidId: "${bidId}" }) { bid { id } } }`,
              {},
              outsider.token,
            ),
          ),
        ).toEqual(['FORBIDDEN']);
        expect(codes(await market.close(outsider, needId))).toEqual(['FORBIDDEN']);
      }
      expect(codes(await market.placeBid(member, needId))).toEqual(['FORBIDDEN']);
      expect(codes(await market.placeBid(lead, needId))).toEqual(['FORBIDDEN']);
      expect(
        codes(
          await sut.gql(
            `mutation { withdrawBid(input: { bidId: "${bidId}" }) { bid { id } } }`,
            {},
            member.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      expect(await market.snapshot(needId, bidId)).toEqual(before);
      // Posting for a team you do not lead:
      const post = await sut.gql(
        `mutation($team: ID!) { postNeed(input: { buyerTeamId: $team, title: "x", hoursPerWeek: 1, weeks: 1, ratePerHour: 1 }) { need { id } } }`,
        { team: team.id },
        member.token,
      );
      expect(codes(post)).toEqual(['FORBIDDEN']);
    });

    it('CONFLICT for a second live bid by the same person', async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team);
      await market.bid(worker, needId, 2);
      expect((await market.placeBid(worker, needId, 1)).errors![0].extensions).toEqual({
        code: 'CONFLICT',
        field: 'input.needId',
      });
    });

    it('refuses bids offering skills the bidder lacks, or more hours than the need or the bidder has', async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person({
        weeklyCapacityHours: 3,
        skills: [{ name: 'Research', level: 2 }],
      });
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 4 });
      expect(
        (await market.placeBid(worker, needId, 1, 10, ['Research', 'Juggling'])).errors![0]
          .extensions,
      ).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.skills.1',
      });
      expect(codes(await market.placeBid(await factory.person(), needId, 5))).toEqual(['CONFLICT']);
      expect(codes(await market.placeBid(worker, needId, 4))).toEqual(['CAPACITY_EXCEEDED']);
    });

    it('never logs more than the engagement holds, and only by the engaged person', async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      const needId = await market.postNeed(lead, team, { hoursPerWeek: 2, weeks: 1 });
      const engagementId = await market.engage(lead, await market.bid(worker, needId, 2));
      expect((await market.logTime(worker, engagementId, 3)).errors![0].extensions).toEqual({
        code: 'CONFLICT',
        field: 'input.hours',
      });
      expect(codes(await market.logTime(lead, engagementId, 1))).toEqual(['FORBIDDEN']);
      // A future day, while the engagement still takes hours (once complete, it takes none).
      const future = await sut.gql(
        `mutation($id: ID!) { logTime(input: { engagementId: $id, hours: 1, date: "2999-01-01" }) { timeLog { id } } }`,
        { id: engagementId },
        worker.token,
      );
      expect(future.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.date' });
      expectOk(await market.logTime(worker, engagementId, 2));
      expect(codes(await market.logTime(worker, engagementId, 1))).toEqual(['INVALID_TRANSITION']);
    });
  });

  describe('closing a need', () => {
    it('ends the work, rejects pending bids and returns the unspent escrow', async () => {
      const { team, lead } = await market.buyer(1_000);
      const worker = await factory.person();
      const waiting = await factory.person();
      const needId = await market.postNeed(lead, team, {
        hoursPerWeek: 6,
        weeks: 2,
        ratePerHour: 10,
      });
      const engagementId = await market.engage(lead, await market.bid(worker, needId, 4)); // 80 in escrow
      const pending = await market.bid(waiting, needId, 2);
      expectOk(await market.logTime(worker, engagementId, 3));
      expect(await market.approveWeek(lead, engagementId)).toBe(30); // 30 paid out
      const key = randomUUID();
      const closed = await market.close(lead, needId, key);
      expect(closed.data!.closeNeed).toMatchObject({
        need: { status: 'CLOSED', escrowBalance: 0 },
        refund: { amount: 50, kind: 'ESCROW_RETURN' },
      });
      expect(await probe.teamBalance(team.id)).toBe(1_000 - 30);
      const replay = await market.close(lead, needId, key);
      expect(replay.data!.closeNeed.refund).toEqual({ amount: 50, kind: 'ESCROW_RETURN' });
      expect(await probe.teamBalance(team.id)).toBe(1_000 - 30);
      const state = await sut.gql(
        `query($id: ID!) { engagement(id: $id) { status } me { committedHoursPerWeek } }`,
        { id: engagementId },
        worker.token,
      );
      expect(state.data).toEqual({
        engagement: { status: 'ENDED' },
        me: { committedHoursPerWeek: 0 },
      });
      const [bid] = await sut.dataSource.query(
        `SELECT status, decision_note FROM bid WHERE id = $1`,
        [pending],
      );
      expect(bid).toEqual({ status: 'REJECTED', decision_note: 'The need was closed' });
      expect(await probe.sumOfBalances()).toBe(0);
    });

    it('cancels a need that never had a bid accepted', async () => {
      const { team, lead } = await market.buyer();
      const needId = await market.postNeed(lead, team);
      const closed = await market.close(lead, needId);
      expect(closed.data!.closeNeed).toMatchObject({ need: { status: 'CANCELLED' }, refund: null });
    });
  });

  describe('who sees which bids', () => {
    it("shows every bid to the buyer's leads, one's own to a bidder, and none to others", async () => {
      const { team, lead } = await market.buyer();
      const alice = await factory.person();
      const bob = await factory.person();
      const carol = await factory.person();
      const needId = await market.postNeed(lead, team);
      const aliceBid = await market.bid(alice, needId, 1);
      const bobBid = await market.bid(bob, needId, 1);
      const query = `query($id: ID!) { need(id: $id) { bidCount bids { totalCount nodes { id bidder { id } } } myBid { id } } }`;
      const view = async (who: Person) =>
        (await sut.gql(query, { id: needId }, who.token)).data!.need;
      expect((await view(lead)).bids.nodes.map((b: { id: string }) => b.id)).toEqual([
        aliceBid,
        bobBid,
      ]);
      expect(await view(alice)).toEqual({
        bidCount: 2,
        bids: { totalCount: 1, nodes: [{ id: aliceBid, bidder: { id: alice.employee.id } }] },
        myBid: { id: aliceBid },
      });
      expect(await view(carol)).toEqual({
        bidCount: 2,
        bids: { totalCount: 0, nodes: [] },
        myBid: null,
      });
      const theirs = await sut.gql(
        `query($id: ID!) { employee(id: $id) { bids { totalCount } } }`,
        { id: alice.employee.id },
        bob.token,
      );
      expect(codes(theirs)).toEqual(['FORBIDDEN']);
      const mine = await sut.gql(`{ me { bids { nodes { id need { id } } } } }`, {}, alice.token);
      expect(mine.data!.me.bids.nodes).toEqual([{ id: aliceBid, need: { id: needId } }]);
    });

    it('keeps engagements to the engaged person and the buyer', async () => {
      const { team, lead } = await market.buyer();
      const worker = await factory.person();
      const stranger = await factory.person();
      const needId = await market.postNeed(lead, team);
      const engagementId = await market.engage(lead, await market.bid(worker, needId));
      const query = `query($id: ID!) { engagement(id: $id) { id employee { id } } }`;
      expect((await sut.gql(query, { id: engagementId }, worker.token)).data!.engagement.id).toBe(
        engagementId,
      );
      expect((await sut.gql(query, { id: engagementId }, lead.token)).data!.engagement.id).toBe(
        engagementId,
      );
      expect(codes(await sut.gql(query, { id: engagementId }, stranger.token))).toEqual([
        'FORBIDDEN',
      ]);
      const needView = `query($id: ID!) { need(id: $id) { engagements { id } } }`;
      expect(
        (await sut.gql(needView, { id: needId }, stranger.token)).data!.need.engagements,
      ).toEqual([]);
      expect(
        (await sut.gql(needView, { id: needId }, worker.token)).data!.need.engagements,
      ).toEqual([{ id: engagementId }]);
    });
  });

  describe('finding needs', () => {
    it('filters by status, skill, buyer and words, newest first', async () => {
      const { team, lead } = await market.buyer();
      const skill = `Skill ${randomUUID().slice(0, 6)}`;
      const word = `zebra${randomUUID()
        .replace(/[^a-f]/g, '')
        .slice(0, 6)}`;
      const older = await market.postNeed(lead, team, {
        title: `Answer ${word} calls`,
        requiredSkills: [{ name: skill, minLevel: 2 }],
      });
      const newer = await market.postNeed(lead, team, {
        title: 'Write product copy',
        description: `About ${word}s`,
      });
      const other = await market.postNeed(lead, team, { title: 'Something else' });
      await market.close(lead, other);
      const find = async (filter: Record<string, unknown>) =>
        (
          await sut.gql(
            `query($filter: NeedFilter) { needs(filter: $filter, first: 50) { nodes { id } } }`,
            { filter },
            lead.token,
          )
        ).data!.needs.nodes.map((n: { id: string }) => n.id);
      expect(await find({ buyerTeamId: team.id })).toEqual([other, newer, older]);
      expect(await find({ buyerTeamId: team.id, status: 'OPEN' })).toEqual([newer, older]);
      expect(await find({ skill: skill.toLowerCase() })).toEqual([older]);
      expect(await find({ text: word })).toEqual([newer, older]);
    });
  });

  describe('matching', () => {
    it('ranks people by skills at level, spare hours and delivery, leaving out the buying team', async () => {
      const skill = `Match ${randomUUID().slice(0, 6)}`;
      const { team, lead } = await market.buyer();
      const insider = await factory.person({ team, skills: [{ name: skill, level: 5 }] });
      const expert = await factory.person({
        skills: [{ name: skill, level: 4 }],
        weeklyCapacityHours: 10,
      });
      const novice = await factory.person({
        skills: [{ name: skill, level: 1 }],
        weeklyCapacityHours: 10,
      });
      const busyExpert = await factory.person({
        skills: [{ name: skill, level: 5 }],
        weeklyCapacityHours: 2,
      });
      const needId = await market.postNeed(lead, team, {
        hoursPerWeek: 4,
        requiredSkills: [{ name: skill, minLevel: 3 }],
      });
      const result = await sut.gql(
        `query($id: ID!) { suggestedCandidates(needId: $id, first: 10) {
          score coveredSkillCount requiredSkillCount spareHoursPerWeek completedEngagements
          employee { id } matchedSkills { level requiredLevel meetsRequirement skill { name } }
        } }`,
        { id: needId },
        lead.token,
      );
      const ranked = result.data!.suggestedCandidates;
      const ids = ranked.map((c: any) => c.employee.id);
      expect(ids).not.toContain(insider.employee.id);
      expect(ids.slice(0, 3)).toEqual([
        expert.employee.id,
        busyExpert.employee.id,
        novice.employee.id,
      ]);
      expect(ranked[0]).toMatchObject({
        score: 0.85, // 0.6 × 1 + 0.25 × min(10, 4) / 4 + 0
        coveredSkillCount: 1,
        requiredSkillCount: 1,
        spareHoursPerWeek: 10,
        matchedSkills: [
          { level: 4, requiredLevel: 3, meetsRequirement: true, skill: { name: skill } },
        ],
      });
      expect(ranked[1].score).toBe(0.725); // 0.6 + 0.25 × 2 / 4
      expect(ranked[2]).toMatchObject({ score: 0.25, coveredSkillCount: 0 });
      const stranger = await factory.person();
      expect(
        codes(
          await sut.gql(
            `query($id: ID!) { suggestedCandidates(needId: $id) { score } }`,
            { id: needId },
            stranger.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
    });
  });
});
