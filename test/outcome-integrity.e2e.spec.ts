import { jest } from '@jest/globals';
import { Clock } from '../src/common/clock/clock.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { Factory, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk } from './support/market.js';
import { codes, startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const JOIN = `mutation($id: ID!, $hours: Int!) { joinInitiative(input: { initiativeId: $id, hoursPerWeek: $hours }) { membership { hoursPerWeek } } }`;
const LEAVE = `mutation($id: ID!) { leaveInitiative(input: { initiativeId: $id }) { initiative { id } } }`;
const DEFINE = `mutation($input: DefineOutcomeMetricInput!) { defineOutcomeMetric(input: $input) { metric { id reporter { id } } } }`;
const SET_REPORTER = `mutation($input: SetMetricReporterInput!) { setMetricReporter(input: $input) { metric { id reporter { id } } } }`;
const RECORD = `mutation($id: ID!, $value: Float!, $at: DateTime) { recordMeasurement(input: { metricId: $id, value: $value, at: $at }) { measurement { id value at } } }`;
const CORRECT = `mutation($input: CorrectMeasurementInput!) { correctMeasurement(input: $input) {
  measurement { id value at recordedBy { id } supersededBy { id } corrects { id value } }
  corrected { id value supersededBy { id } correction { by { id } at reason } }
} }`;
const ADD_MILESTONE = `mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id assignee { id } } } }`;
const ASSIGN_MILESTONE = `mutation($input: AssignMilestoneInput!) { assignMilestone(input: $input) { milestone { id assignee { id } } } }`;
const COMPLETE_MILESTONE = `mutation($id: ID!) { completeMilestone(input: { milestoneId: $id }) { milestone { id completedAt completedBy { id } } } }`;

/** The refusal's code and field, as a client reads them. */
const refusal = (result: GraphQLResponse) => result.errors?.[0]?.extensions;

describe('Outcomes are owned and their history is kept', () => {
  let sut: TestApp;
  let factory: Factory;
  let ideas: Ideas;
  let sponsor: TeamEntity;
  let lead: Person;

  beforeAll(async () => {
    sut = await startTestApp();
    factory = new Factory(sut);
    ideas = new Ideas(sut);
    sponsor = await factory.team({ credits: 100_000 });
    lead = await factory.person({ team: sponsor, leads: [sponsor] });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => sut.close());

  /** A fresh initiative owned by `owner`, with its start time as the API reports it. */
  async function initiativeOf(owner: Person): Promise<{ id: string; startedAt: Date }> {
    const id = await ideas.initiative(owner, sponsor, lead, [{ lead, team: sponsor, amount: 100 }]);
    const read = await sut.gql(
      `query($id: ID!) { initiative(id: $id) { startedAt } }`,
      { id },
      owner.token,
    );
    expectOk(read);
    return { id, startedAt: new Date(read.data!.initiative.startedAt) };
  }

  async function join(person: Person, initiativeId: string, hours = 2): Promise<void> {
    expectOk(await sut.gql(JOIN, { id: initiativeId, hours }, person.token));
  }

  async function defineMetric(
    owner: Person,
    initiativeId: string,
    extra: Record<string, unknown> = {},
  ): Promise<string> {
    const result = await sut.gql(
      DEFINE,
      {
        input: {
          initiativeId,
          name: 'Calls taken',
          unit: 'calls',
          baseline: 0,
          target: 100,
          direction: 'HIGHER_IS_BETTER',
          ...extra,
        },
      },
      owner.token,
    );
    expectOk(result);
    return result.data!.defineOutcomeMetric.metric.id;
  }

  /** Moves the service's clock `ms` ahead of real time (no sleeping). */
  function moveClock(ms: number): void {
    const clock = sut.app.get(Clock);
    const real = Date.now;
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(real() + ms));
  }

  const measurementsOf = async (metricId: string): Promise<number> =>
    (
      await sut.dataSource.query(
        `SELECT count(*)::int AS n FROM measurement WHERE metric_id = $1`,
        [metricId],
      )
    )[0].n;

  describe('joining', () => {
    it('refuses joining with 0 hours a week, on hoursPerWeek, and changes nothing', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const idle = await factory.person();
      const result = await sut.gql(JOIN, { id, hours: 0 }, idle.token);
      expect(refusal(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.hoursPerWeek' });
      const [row] = await sut.dataSource.query(
        `SELECT count(*)::int AS n FROM initiative_member WHERE employee_id = $1`,
        [idle.employee.id],
      );
      expect(row.n).toBe(0);
    });

    it('refuses changing one’s hours to 0 (leaving is how one stops), and leaving frees them', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const member = await factory.person();
      await join(member, id, 3);
      expect(refusal(await sut.gql(JOIN, { id, hours: 0 }, member.token))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.hoursPerWeek',
      });
      expect((await sut.gql(JOIN, { id, hours: 1 }, member.token)).data).toEqual({
        joinInitiative: { membership: { hoursPerWeek: 1 } },
      });
      expectOk(await sut.gql(LEAVE, { id }, member.token));
      const [row] = await sut.dataSource.query(
        `SELECT committed_hours_per_week AS committed FROM employee WHERE id = $1`,
        [member.employee.id],
      );
      expect(row.committed).toBe(0);
    });
  });

  describe('who records measurements', () => {
    it('makes the owner the reporter by default, and refuses members and outsiders who are not', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const member = await factory.person();
      await join(member, id);
      const outsider = await factory.person({ team: await factory.team() });

      const read = await sut.gql(
        `query($id: ID!) { initiative(id: $id) { metrics { id reporter { id } } } }`,
        { id },
        outsider.token,
      );
      expect(read.data!.initiative.metrics).toEqual([
        { id: metricId, reporter: { id: owner.employee.id } },
      ]);
      expect(codes(await sut.gql(RECORD, { id: metricId, value: -1e9 }, member.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await sut.gql(RECORD, { id: metricId, value: -1e9 }, outsider.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(await measurementsOf(metricId)).toBe(0);
      expectOk(await sut.gql(RECORD, { id: metricId, value: 10 }, owner.token));
      expect(await measurementsOf(metricId)).toBe(1);
    });

    it('lets the owner hand a metric to a member, who may then record; the handover is audited', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const member = await factory.person();
      const other = await factory.person();
      await join(member, id);
      await join(other, id);

      // Only the owner hands it over.
      expect(
        codes(
          await sut.gql(
            SET_REPORTER,
            { input: { metricId, reporterId: member.employee.id } },
            member.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      const handed = await sut.gql(
        SET_REPORTER,
        { input: { metricId, reporterId: member.employee.id } },
        owner.token,
      );
      expect(handed.data!.setMetricReporter.metric.reporter).toEqual({ id: member.employee.id });
      // Handing it to the same person again changes nothing and records nothing.
      expectOk(
        await sut.gql(
          SET_REPORTER,
          { input: { metricId, reporterId: member.employee.id } },
          owner.token,
        ),
      );
      const events = await sut.dataSource.query(
        `SELECT payload FROM event WHERE subject_id = $1 AND action = 'initiative.setMetricReporter'`,
        [id],
      );
      expect(events).toEqual([
        {
          payload: expect.objectContaining({
            metricId,
            reporterId: member.employee.id,
            previousReporterId: owner.employee.id,
          }),
        },
      ]);

      expectOk(await sut.gql(RECORD, { id: metricId, value: 20 }, member.token));
      expect(codes(await sut.gql(RECORD, { id: metricId, value: 21 }, other.token))).toEqual([
        'FORBIDDEN',
      ]);
      // The owner still may.
      expectOk(await sut.gql(RECORD, { id: metricId, value: 22 }, owner.token));
      expect(await measurementsOf(metricId)).toBe(2);
    });

    it('hands a metric only to the owner or a current member, on reporterId', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const outsider = await factory.person();
      expect(
        refusal(
          await sut.gql(
            SET_REPORTER,
            { input: { metricId, reporterId: outsider.employee.id } },
            owner.token,
          ),
        ),
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reporterId' });
      expect(
        refusal(
          await sut.gql(
            DEFINE,
            {
              input: {
                initiativeId: id,
                name: 'Other',
                baseline: 0,
                target: 1,
                direction: 'HIGHER_IS_BETTER',
                reporterId: outsider.employee.id,
              },
            },
            owner.token,
          ),
        ),
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reporterId' });
    });

    it('gives a leaver’s metrics back to the owner', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const member = await factory.person();
      await join(member, id);
      const metricId = await defineMetric(owner, id, { reporterId: member.employee.id });
      expectOk(await sut.gql(LEAVE, { id }, member.token));
      const read = await sut.gql(
        `query($id: ID!) { initiative(id: $id) { metrics { reporter { id } } } }`,
        { id },
        owner.token,
      );
      expect(read.data!.initiative.metrics).toEqual([{ reporter: { id: owner.employee.id } }]);
      expect(codes(await sut.gql(RECORD, { id: metricId, value: 1 }, member.token))).toEqual([
        'FORBIDDEN',
      ]);
    });
  });

  describe('when a measurement may be dated', () => {
    it('refuses a reading dated in the future (past the allowed clock skew), on at', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const ahead = new Date(sut.app.get(Clock).now().getTime() + 6 * HOUR).toISOString();
      expect(
        refusal(await sut.gql(RECORD, { id: metricId, value: 5, at: ahead }, owner.token)),
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.at' });
      expect(await measurementsOf(metricId)).toBe(0);
      // A later reading is not shadowed by a future one: it becomes the latest at once.
      expectOk(await sut.gql(RECORD, { id: metricId, value: 7 }, owner.token));
      const read = await sut.gql(
        `query($id: ID!) { initiative(id: $id) { metrics { latestValue } } }`,
        { id },
        owner.token,
      );
      expect(read.data!.initiative.metrics).toEqual([{ latestValue: 7 }]);
    });

    it('accepts a reading a few seconds ahead (clock skew), and one dated 6 hours on once that time has come', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const skewed = new Date(Date.now() + 30_000).toISOString();
      expectOk(await sut.gql(RECORD, { id: metricId, value: 5, at: skewed }, owner.token));
      const later = new Date(Date.now() + 6 * HOUR).toISOString();
      moveClock(7 * HOUR);
      expectOk(await sut.gql(RECORD, { id: metricId, value: 6, at: later }, owner.token));
    });

    it('refuses a reading dated before the initiative started, on at', async () => {
      const owner = await factory.person();
      const { id, startedAt } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const before = new Date(startedAt.getTime() - DAY).toISOString();
      expect(
        refusal(await sut.gql(RECORD, { id: metricId, value: 5, at: before }, owner.token)),
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.at' });
      expect(await measurementsOf(metricId)).toBe(0);
    });
  });

  describe('corrections', () => {
    it('supersede a reading with a new one at the same time, keeping the original with who, when and why', async () => {
      const owner = await factory.person();
      const { id, startedAt } = await initiativeOf(owner);
      const reporter = await factory.person();
      await join(reporter, id);
      const metricId = await defineMetric(owner, id, { reporterId: reporter.employee.id });
      moveClock(30 * DAY);
      const first = new Date(startedAt.getTime() + DAY).toISOString();
      const second = new Date(startedAt.getTime() + 8 * DAY).toISOString();
      expectOk(await sut.gql(RECORD, { id: metricId, value: 20, at: first }, reporter.token));
      const wrong = await sut.gql(
        RECORD,
        { id: metricId, value: -1e9, at: second },
        reporter.token,
      );
      expectOk(wrong);
      const wrongId = wrong.data!.recordMeasurement.measurement.id;
      const score = async () =>
        (
          await sut.gql(
            `query($id: ID!) { initiative(id: $id) { outcomeScore metrics {
              latestValue progressPercent latest { id value }
              measurements { totalCount nodes { id value } }
            } } }`,
            { id },
            owner.token,
          )
        ).data!.initiative;
      expect(await score()).toMatchObject({ outcomeScore: 0, metrics: [{ latestValue: -1e9 }] });

      // Someone who neither reports nor owns it may not correct it.
      const member = await factory.person();
      await join(member, id);
      const byMember = await sut.gql(
        CORRECT,
        { input: { measurementId: wrongId, value: 60, reason: 'Typo' } },
        member.token,
      );
      expect(codes(byMember)).toEqual(['FORBIDDEN']);

      const corrected = await sut.gql(
        CORRECT,
        { input: { measurementId: wrongId, value: 60, reason: 'A typo: 60 calls, not -1e9' } },
        owner.token,
      );
      expectOk(corrected);
      const { measurement, corrected: original } = corrected.data!.correctMeasurement;
      expect(measurement).toMatchObject({
        value: 60,
        at: second,
        recordedBy: { id: owner.employee.id },
        supersededBy: null,
        corrects: { id: wrongId, value: -1e9 },
      });
      expect(original).toMatchObject({
        id: wrongId,
        value: -1e9,
        supersededBy: { id: measurement.id },
        correction: { by: { id: owner.employee.id }, reason: 'A typo: 60 calls, not -1e9' },
      });
      expect(new Date(original.correction.at).getTime()).toBeGreaterThan(startedAt.getTime());

      // The latest value, progress and the outcome score use the correction only.
      expect(await score()).toEqual({
        outcomeScore: 60,
        metrics: [
          {
            latestValue: 60,
            progressPercent: 60,
            latest: { id: measurement.id, value: 60 },
            measurements: {
              totalCount: 2,
              nodes: [
                { id: expect.any(String), value: 20 },
                { id: measurement.id, value: 60 },
              ],
            },
          },
        ],
      });

      // The history keeps both, the original beside its correction.
      const history = await sut.gql(
        `query($id: ID!) { initiative(id: $id) { metrics { measurements(includeSuperseded: true) {
          totalCount nodes { id value supersededBy { id } correction { by { id } reason } }
        } } } }`,
        { id },
        member.token,
      );
      expectOk(history);
      const { totalCount, nodes } = history.data!.initiative.metrics[0].measurements;
      expect(totalCount).toBe(3);
      expect(nodes[0]).toEqual({
        id: expect.any(String),
        value: 20,
        supersededBy: null,
        correction: null,
      });
      // The original and its correction share their time: in either order after the first.
      expect(nodes.slice(1)).toEqual(
        expect.arrayContaining([
          {
            id: wrongId,
            value: -1e9,
            supersededBy: { id: measurement.id },
            correction: { by: { id: owner.employee.id }, reason: 'A typo: 60 calls, not -1e9' },
          },
          { id: measurement.id, value: 60, supersededBy: null, correction: null },
        ]),
      );

      // Audited; a retry of the same correction changes nothing; another on the superseded
      // reading is a CONFLICT (correct the current one instead).
      const again = await sut.gql(
        CORRECT,
        { input: { measurementId: wrongId, value: 60, reason: 'A typo: 60 calls, not -1e9' } },
        owner.token,
      );
      expect(again.data!.correctMeasurement.measurement.id).toBe(measurement.id);
      expect(
        refusal(
          await sut.gql(
            CORRECT,
            { input: { measurementId: wrongId, value: 61, reason: 'Another' } },
            reporter.token,
          ),
        ),
      ).toEqual({ code: 'CONFLICT', field: 'input.measurementId' });
      const events = await sut.dataSource.query(
        `SELECT actor_id AS "actorId", payload FROM event WHERE subject_id = $1 AND action = 'initiative.correctMeasurement'`,
        [id],
      );
      expect(events).toEqual([
        {
          actorId: owner.employee.id,
          payload: expect.objectContaining({
            metricId,
            measurementId: wrongId,
            correctionId: measurement.id,
            from: -1e9,
            to: 60,
            reason: 'A typo: 60 calls, not -1e9',
          }),
        },
      ]);
      expect(await measurementsOf(metricId)).toBe(3);

      // The reporter corrects the correction: a chain, every link kept.
      const fixed = await sut.gql(
        CORRECT,
        { input: { measurementId: measurement.id, value: 55, reason: 'Recounted' } },
        reporter.token,
      );
      expectOk(fixed);
      const rechecked = await score();
      expect(rechecked.metrics).toMatchObject([{ latestValue: 55, progressPercent: 55 }]);
      expect(rechecked.outcomeScore).toBeCloseTo(55, 9);
      expect(await measurementsOf(metricId)).toBe(4);
    });

    it('refuses, in the database itself, to overwrite or delete a reading', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const metricId = await defineMetric(owner, id);
      const recorded = await sut.gql(RECORD, { id: metricId, value: 3 }, owner.token);
      const measurementId = recorded.data!.recordMeasurement.measurement.id;
      await expect(
        sut.dataSource.query(`UPDATE measurement SET value = 99 WHERE id = $1`, [measurementId]),
      ).rejects.toThrow(/history/);
      await expect(
        sut.dataSource.query(`DELETE FROM measurement WHERE id = $1`, [measurementId]),
      ).rejects.toThrow(/history/);
      const [row] = await sut.dataSource.query(`SELECT value FROM measurement WHERE id = $1`, [
        measurementId,
      ]);
      expect(row.value).toBe(3);
    });
  });

  describe('milestones', () => {
    it('are completed only by the owner or their assignee', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const assignee = await factory.person();
      const member = await factory.person();
      await join(assignee, id);
      await join(member, id);
      const outsider = await factory.person();

      // Only the owner assigns: a member cannot plan work for themself to tick off.
      expect(
        codes(
          await sut.gql(
            ADD_MILESTONE,
            { input: { initiativeId: id, title: 'Mine', assigneeId: member.employee.id } },
            member.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      const added = await sut.gql(
        ADD_MILESTONE,
        { input: { initiativeId: id, title: 'Pilot', assigneeId: assignee.employee.id } },
        owner.token,
      );
      expectOk(added);
      const pilot = added.data!.addMilestone.milestone;
      expect(pilot.assignee).toEqual({ id: assignee.employee.id });
      // Members still plan: a milestone a member adds is unassigned (the owner completes it).
      const unassigned = (
        await sut.gql(ADD_MILESTONE, { input: { initiativeId: id, title: 'Launch' } }, member.token)
      ).data!.addMilestone.milestone;
      expect(unassigned.assignee).toBeNull();

      expect(codes(await sut.gql(COMPLETE_MILESTONE, { id: pilot.id }, member.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await sut.gql(COMPLETE_MILESTONE, { id: pilot.id }, outsider.token))).toEqual([
        'FORBIDDEN',
      ]);
      expect(
        codes(await sut.gql(COMPLETE_MILESTONE, { id: unassigned.id }, assignee.token)),
      ).toEqual(['FORBIDDEN']);
      const done = await sut.gql(COMPLETE_MILESTONE, { id: pilot.id }, assignee.token);
      expect(done.data!.completeMilestone.milestone.completedBy).toEqual({
        id: assignee.employee.id,
      });
      expectOk(await sut.gql(COMPLETE_MILESTONE, { id: unassigned.id }, owner.token));
    });

    it('are reassigned by the owner only, to the owner or a current member; the change is audited', async () => {
      const owner = await factory.person();
      const { id } = await initiativeOf(owner);
      const member = await factory.person();
      await join(member, id);
      const outsider = await factory.person();
      const milestone = (
        await sut.gql(ADD_MILESTONE, { input: { initiativeId: id, title: 'Pilot' } }, owner.token)
      ).data!.addMilestone.milestone.id;

      expect(
        codes(
          await sut.gql(
            ASSIGN_MILESTONE,
            { input: { milestoneId: milestone, assigneeId: member.employee.id } },
            member.token,
          ),
        ),
      ).toEqual(['FORBIDDEN']);
      expect(
        refusal(
          await sut.gql(
            ASSIGN_MILESTONE,
            { input: { milestoneId: milestone, assigneeId: outsider.employee.id } },
            owner.token,
          ),
        ),
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.assigneeId' });
      expect(
        refusal(
          await sut.gql(
            ADD_MILESTONE,
            { input: { initiativeId: id, title: 'X', assigneeId: outsider.employee.id } },
            owner.token,
          ),
        ),
      ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.assigneeId' });
      const assigned = await sut.gql(
        ASSIGN_MILESTONE,
        { input: { milestoneId: milestone, assigneeId: member.employee.id } },
        owner.token,
      );
      expect(assigned.data!.assignMilestone.milestone.assignee).toEqual({
        id: member.employee.id,
      });
      expectOk(
        await sut.gql(
          ASSIGN_MILESTONE,
          { input: { milestoneId: milestone, assigneeId: member.employee.id } },
          owner.token,
        ),
      );
      const events = await sut.dataSource.query(
        `SELECT payload FROM event WHERE subject_id = $1 AND action = 'initiative.assignMilestone'`,
        [id],
      );
      expect(events).toEqual([
        {
          payload: expect.objectContaining({
            milestoneId: milestone,
            assigneeId: member.employee.id,
            previousAssigneeId: null,
          }),
        },
      ]);
      // A leaver's milestones go back to nobody (the owner completes them).
      expectOk(await sut.gql(LEAVE, { id }, member.token));
      expect(codes(await sut.gql(COMPLETE_MILESTONE, { id: milestone }, member.token))).toEqual([
        'FORBIDDEN',
      ]);
      const read = await sut.gql(
        `query($id: ID!) { initiative(id: $id) { milestones { assignee { id } } } }`,
        { id },
        owner.token,
      );
      expect(read.data!.initiative.milestones).toEqual([{ assignee: null }]);
      // Unassigning: the owner passes no assignee.
      expectOk(await sut.gql(ASSIGN_MILESTONE, { input: { milestoneId: milestone } }, owner.token));
    });
  });
});
