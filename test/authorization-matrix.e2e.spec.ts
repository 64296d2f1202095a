import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import {
  buildSchema,
  getNamedType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import { PUB_SUB } from '../src/common/pubsub/pubsub.module.js';
import { ideaChangedTopic } from '../src/modules/idea/idea.service.js';
import { initiativeChangedTopic } from '../src/modules/initiative/initiative.service.js';
import { bidPlacedTopic } from '../src/modules/market/bid.service.js';
import { EmployeeService } from '../src/modules/employee/employee.service.js';
import { AuthService } from '../src/modules/auth/auth.service.js';
import { ScimTokenService } from '../src/modules/provisioning/scim-token.service.js';
import { notificationTopic } from '../src/modules/notification/notification.service.js';
import type { TeamEntity } from '../src/modules/team/team.entity.js';
import { TeamRole } from '../src/modules/team/team-role.js';
import { Factory, TEST_PASSWORD, type Person } from './support/factories.js';
import { Ideas } from './support/ideas.js';
import { expectOk, Market } from './support/market.js';
import { listenerAttached, subscribe } from './support/subscriptions.js';
import { codes, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Every query and mutation of the committed schema, called as each kind of caller, against the
 * set of callers allowed to use it. The operations are read from schema.gql, so a new one
 * fails this test until it has a row here.
 */
const schema = buildSchema(readFileSync(new URL('../schema.gql', import.meta.url), 'utf8'));

const PERSONAS = ['anonymous', 'member', 'outsider', 'otherLead', 'lead', 'admin'] as const;
type Persona = (typeof PERSONAS)[number];
const SIGNED_IN: Persona[] = ['member', 'outsider', 'otherLead', 'lead', 'admin'];
/** Refusals that mean "not for you" (NOT_FOUND: private things are hidden, not admitted). */
const DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']);

/**
 * The cast: `member` and `lead` belong to team T (the team the operation concerns), `outsider`
 * and `otherLead` to team O, `admin` to neither. In the fixtures, `member` proposes ideas and
 * owns initiatives, `lead` posts T's needs, `outsider` bids on them.
 */
interface World {
  people: Record<Exclude<Persona, 'anonymous'>, Person>;
  t: TeamEntity;
  o: TeamEntity;
}

interface Case {
  allowed: Persona[];
  /** What the operation acts on, built afresh for every caller; returns its arguments. */
  args: () => Promise<Record<string, unknown>>;
  /** It ends someone's sessions: everyone is given a fresh token after each call. */
  endsSessions?: true;
}

describe('Authorisation matrix', () => {
  let sut: TestApp;
  let world: World;
  let ideas: Ideas;
  let market: Market;

  beforeAll(async () => {
    sut = await startTestApp();
    const factory = new Factory(sut);
    ideas = new Ideas(sut);
    market = new Market(sut, factory);
    const t = await factory.team({ credits: 1_000_000 });
    const o = await factory.team({ credits: 1_000_000 });
    world = {
      t,
      o,
      people: {
        member: await factory.person({ team: t, weeklyCapacityHours: 40 }),
        lead: await factory.person({ team: t, leads: [t] }),
        outsider: await factory.person({ team: o, weeklyCapacityHours: 80 }),
        otherLead: await factory.person({ team: o, leads: [o] }),
        admin: await factory.person({ isAdmin: true }),
      },
    };
  });
  afterAll(() => sut.close());

  const p = () => world.people;
  const need = () =>
    market.postNeed(p().lead, world.t, { hoursPerWeek: 1, weeks: 1, ratePerHour: 5 });
  const bid = async () => market.bid(p().outsider, await need(), 1, 5);
  const engagement = async () => market.engage(p().lead, await bid());
  const draft = () => ideas.propose(p().member, world.t, 100);
  const submitted = () => ideas.submitted(p().member, world.t, 100);
  const funded = async () => {
    const id = await submitted();
    expectOk(await ideas.pledge(p().lead, id, world.t.id, 100));
    return id;
  };
  const initiative = () =>
    ideas.initiative(p().member, world.t, p().lead, [
      { lead: p().lead, team: world.t, amount: 100 },
    ]);
  const asMember = async (query: string, variables: Record<string, unknown>) => {
    const result = await sut.gql(query, variables, p().member.token);
    expectOk(result);
    return result.data!;
  };
  const milestone = async () =>
    (
      await asMember(
        `mutation($id: ID!) { addMilestone(input: { initiativeId: $id, title: "M" }) { milestone { id } } }`,
        { id: await initiative() },
      )
    ).addMilestone.milestone.id as string;
  const metric = async () =>
    (
      await asMember(
        `mutation($id: ID!) { defineOutcomeMetric(input: { initiativeId: $id, name: "M", unit: "u", baseline: 0, target: 10, direction: HIGHER_IS_BETTER }) { metric { id } } }`,
        { id: await initiative() },
      )
    ).defineOutcomeMetric.metric.id as string;

  /** The member's comment on a submitted idea. */
  const comment = async () =>
    (
      await asMember(
        `mutation($id: ID!) { commentOn(input: { subjectType: IDEA, subjectId: $id, body: "Hi" }) { comment { id } } }`,
        { id: await submitted() },
      )
    ).commentOn.comment.id as string;

  const measurement = async () =>
    (
      await asMember(
        `mutation($id: ID!) { recordMeasurement(input: { metricId: $id, value: 1 }) { measurement { id } } }`,
        { id: await metric() },
      )
    ).recordMeasurement.measurement.id as string;

  /** A week of `engagement()` with an hour the outsider logged today, pending review. */
  const week = async () => {
    const engagementId = await engagement();
    expectOk(await market.logTime(p().outsider, engagementId, 1));
    return (await market.week(p().lead, engagementId)).id;
  };
  /** T's lead disputes that hour: an OPEN dispute, the outsider's to answer. */
  const dispute = async () => {
    const disputed = await market.disputeTimesheet(p().lead, await week());
    expectOk(disputed);
    return disputed.data!.disputeTimesheet.dispute.id as string;
  };
  /** The outsider contests it: a CONTESTED dispute, for an admin who is neither side. */
  const contested = async () => {
    const disputeId = await dispute();
    expectOk(
      await sut.gql(
        `mutation($id: ID!) { contestDispute(input: { disputeId: $id, reason: "Done" }) { id } }`,
        { id: disputeId },
        p().outsider.token,
      ),
    );
    return disputeId;
  };

  const ANYONE_SIGNED_IN: Persona[] = SIGNED_IN;
  const CASES: Record<string, Case> = {
    // Reading: everyone signed in, except the audit log, another team's books, and the market's
    // private side (candidates and engagements: the buyer's leads and the engaged employee).
    'Query.me': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.employee': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ id: p().member.employee.id }),
    },
    'Query.employees': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.skills': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.team': { allowed: ANYONE_SIGNED_IN, args: async () => ({ id: world.t.id }) },
    'Query.teams': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.teamLedger': {
      allowed: ['member', 'otherLead', 'lead', 'admin'],
      args: async () => ({ teamId: world.t.id }),
    },
    'Query.teamPnl': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.auditLog': { allowed: ['admin'], args: async () => ({}) },
    'Query.scimTokens': { allowed: ['admin'], args: async () => ({}) },
    // Everyone's own inbox: their notifications only (see notifications.e2e.spec.ts).
    'Query.notifications': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.unreadNotificationCount': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.notificationPreferences': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Mutation.markNotificationsRead': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ input: {} }),
    },
    'Mutation.setNotificationPreference': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ input: { kind: 'MENTIONED', channel: 'INBOX' } }),
    },
    'Mutation.follow': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ input: { subjectType: 'IDEA', subjectId: await submitted() } }),
    },
    'Mutation.unfollow': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ input: { subjectType: 'IDEA', subjectId: await submitted() } }),
    },
    'Query.jobs': { allowed: ['admin'], args: async () => ({ filter: { state: 'FAILED' } }) },
    'Query.jobQueueStats': { allowed: ['admin'], args: async () => ({}) },
    // The whole ledger (every account's balance, every transfer, what was issued): admins.
    'Query.ledgerAccounts': { allowed: ['admin'], args: async () => ({}) },
    'Query.ledgerTransfers': {
      allowed: ['admin'],
      args: async () => ({ filter: { kind: 'ALLOCATION' } }),
    },
    'Query.ledgerTotals': { allowed: ['admin'], args: async () => ({}) },
    'Query.need': { allowed: ANYONE_SIGNED_IN, args: async () => ({ id: await need() }) },
    'Query.needs': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.suggestedCandidates': {
      allowed: ['lead'],
      args: async () => ({ needId: await need() }),
    },
    'Query.engagement': {
      allowed: ['outsider', 'lead'],
      args: async () => ({ id: await engagement() }),
    },
    'Query.idea': { allowed: ANYONE_SIGNED_IN, args: async () => ({ id: await submitted() }) },
    // The disputes awaiting a decision: admins, who decide them.
    'Query.disputes': {
      allowed: ['admin'],
      args: async () => ({ filter: { statuses: ['OPEN', 'CONTESTED'] } }),
    },
    'Query.ideas': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.initiative': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ id: await initiative() }),
    },
    'Query.initiatives': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.initiativeOutcomes': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.marketSettings': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.marketStats': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },
    'Query.ideaFunnel': { allowed: ANYONE_SIGNED_IN, args: async () => ({}) },

    // People, teams and credits: admins; skills: admins and the employee themself.
    'Mutation.login': {
      allowed: ['anonymous', ...SIGNED_IN],
      args: async () => ({
        input: { email: p().member.employee.email, password: TEST_PASSWORD },
      }),
    },
    'Mutation.changeMyPassword': {
      allowed: SIGNED_IN,
      args: async () => ({
        input: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD },
      }),
      endsSessions: true,
    },
    'Mutation.signOutEverywhere': {
      allowed: ['member', 'admin'],
      args: async () => ({ input: { employeeId: p().member.employee.id } }),
      endsSessions: true,
    },
    'Mutation.createEmployee': {
      allowed: ['admin'],
      args: async () => ({
        input: {
          name: 'New Person',
          email: `${randomUUID()}@example.test`,
          title: 'Tester',
          password: TEST_PASSWORD,
          homeTeamId: world.t.id,
          weeklyCapacityHours: 8,
          isAdmin: false,
          skills: [],
        },
      }),
    },
    'Mutation.createTeam': {
      allowed: ['admin'],
      args: async () => ({ input: { name: `Team ${randomUUID()}`, purpose: 'Testing' } }),
    },
    'Mutation.addTeamMember': {
      allowed: ['admin'],
      args: async () => ({
        input: { teamId: world.o.id, employeeId: p().member.employee.id, role: 'MEMBER' },
      }),
    },
    'Mutation.updateEmployee': {
      allowed: ['admin'],
      args: async () => ({ input: { employeeId: p().member.employee.id, title: 'Tester' } }),
    },
    'Mutation.moveEmployee': {
      allowed: ['admin'],
      // Moves to the home team the member has already: allowed, and changes nothing.
      args: async () => ({ input: { employeeId: p().member.employee.id, homeTeamId: world.t.id } }),
    },
    'Mutation.setTeamMemberRole': {
      allowed: ['admin'],
      // The member's role already: allowed, and changes nothing.
      args: async () => ({
        input: { teamId: world.t.id, employeeId: p().member.employee.id, role: 'MEMBER' },
      }),
    },
    'Mutation.removeTeamMember': {
      allowed: ['admin'],
      // A fresh member of O, from home team T, for every caller.
      args: async () => {
        const person = await new Factory(sut).person({ team: world.t });
        await sut.app
          .get(EmployeeService)
          .addTeamMember(
            { teamId: world.o.id, employeeId: person.employee.id, role: TeamRole.MEMBER },
            null,
          );
        return { input: { teamId: world.o.id, employeeId: person.employee.id } };
      },
    },
    'Mutation.renameTeam': {
      allowed: ['admin'],
      args: async () => {
        const team = await new Factory(sut).team();
        return { input: { teamId: team.id, name: `Team ${randomUUID()}` } };
      },
    },
    'Mutation.transferCredits': {
      allowed: ['admin'],
      args: async () => ({
        input: { fromTeamId: world.t.id, toTeamId: world.o.id, amount: 1, reason: 'Testing' },
      }),
    },
    'Mutation.deactivateEmployee': {
      allowed: ['admin'],
      // A fresh person with no work, for every caller.
      args: async () => ({ input: { employeeId: (await new Factory(sut).person()).employee.id } }),
    },
    'Mutation.reactivateEmployee': {
      allowed: ['admin'],
      // An active member: allowed, and changes nothing.
      args: async () => ({ input: { employeeId: p().member.employee.id } }),
    },
    'Mutation.createScimToken': {
      allowed: ['admin'],
      args: async () => ({ input: { name: 'Matrix' } }),
    },
    'Mutation.revokeScimToken': {
      allowed: ['admin'],
      // A fresh live token, for every caller.
      args: async () => {
        const { scimToken } = await sut.app
          .get(ScimTokenService)
          .create({ name: 'Matrix' }, { id: p().admin.employee.id });
        return { input: { scimTokenId: scimToken.id } };
      },
    },
    'Mutation.archiveTeam': {
      allowed: ['admin'],
      // A fresh, empty team nobody calls home, for every caller.
      args: async () => ({ input: { teamId: (await new Factory(sut).team()).id } }),
    },
    'Mutation.setEmployeeSkills': {
      allowed: ['member', 'admin'],
      args: async () => ({ input: { employeeId: p().member.employee.id, skills: [] } }),
    },
    'Mutation.allocateCredits': {
      allowed: ['admin'],
      args: async () => ({ input: { teamId: world.t.id, amount: 1 } }),
    },
    'Mutation.setMarketSettings': {
      allowed: ['admin'],
      // The market's starting maximum: other test files running alongside rely on it.
      args: async () => ({ input: { maxRatePerHour: 500 } }),
    },

    // The market: T's leads buy; anyone outside T bids; the bidder withdraws and logs time.
    'Mutation.postNeed': {
      allowed: ['lead'],
      args: async () => ({
        input: {
          buyerTeamId: world.t.id,
          title: 'Help',
          description: '',
          hoursPerWeek: 1,
          weeks: 1,
          ratePerHour: 5,
          requiredSkills: [],
        },
      }),
    },
    'Mutation.raiseNeedRate': {
      allowed: ['lead'],
      args: async () => ({ input: { needId: await need(), ratePerHour: 6 } }),
    },
    'Mutation.editNeed': {
      allowed: ['lead'],
      args: async () => ({ input: { needId: await need(), title: 'Edited' } }),
    },
    'Mutation.closeNeed': {
      allowed: ['lead'],
      args: async () => ({ input: { needId: await need() } }),
    },
    'Mutation.placeBid': {
      allowed: ['outsider', 'otherLead', 'admin'],
      args: async () => ({
        input: { needId: await need(), hoursPerWeek: 1, ratePerHour: 5, message: 'Hi', skills: [] },
      }),
    },
    'Mutation.withdrawBid': {
      allowed: ['outsider'],
      args: async () => ({ input: { bidId: await bid() } }),
    },
    'Mutation.rejectBid': {
      allowed: ['lead'],
      args: async () => ({ input: { bidId: await bid() } }),
    },
    'Mutation.acceptBid': {
      allowed: ['lead'],
      args: async () => ({ input: { bidId: await bid() } }),
    },
    'Mutation.logTime': {
      allowed: ['outsider'],
      args: async () => ({
        input: {
          engagementId: await engagement(),
          hours: 1,
          date: new Date().toISOString().slice(0, 10),
          note: 'Done',
        },
      }),
    },
    // Weekly review: the buyer's leads approve or dispute the outsider's hours; the outsider
    // (the engaged worker) concedes or contests; an admin who is neither side decides.
    'Mutation.approveTimesheet': {
      allowed: ['lead'],
      args: async () => ({ input: { timesheetId: await week() } }),
    },
    'Mutation.disputeTimesheet': {
      allowed: ['lead'],
      args: async () => ({ input: { timesheetId: await week(), reason: 'Not delivered' } }),
    },
    'Mutation.acceptDispute': {
      allowed: ['outsider'],
      args: async () => ({ input: { disputeId: await dispute() } }),
    },
    'Mutation.contestDispute': {
      allowed: ['outsider'],
      args: async () => ({ input: { disputeId: await dispute(), reason: 'Delivered' } }),
    },
    'Mutation.resolveDispute': {
      allowed: ['admin'],
      args: async () => ({
        input: { disputeId: await contested(), decision: 'REFUND', note: 'No evidence' },
      }),
    },

    // Ideas: anyone proposes and comments; the proposer submits and withdraws; others endorse;
    // a team's leads pledge its credits; the sponsor team's leads decide (never the proposer).
    'Mutation.proposeIdea': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({
        input: {
          title: 'An idea',
          problem: 'A problem',
          proposal: 'A proposal',
          expectedOutcomes: 'Better',
          sponsorTeamId: world.t.id,
          fundingGoal: 100,
          skillsNeeded: [],
        },
      }),
    },
    'Mutation.submitIdea': {
      allowed: ['member'],
      args: async () => ({ input: { ideaId: await draft() } }),
    },
    // The proposer edits; someone else's draft is NOT_FOUND to the others.
    'Mutation.editIdea': {
      allowed: ['member'],
      args: async () => ({ input: { ideaId: await draft(), title: 'Edited' } }),
    },
    'Mutation.editComment': {
      allowed: ['member'],
      args: async () => ({ input: { commentId: await comment(), body: 'Edited' } }),
    },
    'Mutation.deleteComment': {
      allowed: ['member'],
      args: async () => ({ input: { commentId: await comment() } }),
    },
    'Mutation.hideComment': {
      allowed: ['admin'],
      args: async () => ({ input: { commentId: await comment(), reason: 'Off topic' } }),
    },
    'Mutation.endorseIdea': {
      allowed: ['outsider', 'otherLead', 'lead', 'admin'],
      args: async () => ({ input: { ideaId: await submitted(), endorsed: true } }),
    },
    'Mutation.commentOn': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({
        input: { subjectType: 'IDEA', subjectId: await submitted(), body: 'Nice' },
      }),
    },
    'Mutation.pledgeToIdea': {
      allowed: ['lead'],
      args: async () => ({ input: { ideaId: await submitted(), teamId: world.t.id, amount: 10 } }),
    },
    'Mutation.approveIdea': {
      allowed: ['lead'],
      args: async () => ({ input: { ideaId: await funded() } }),
    },
    'Mutation.rejectIdea': {
      allowed: ['lead'],
      args: async () => ({ input: { ideaId: await submitted(), reason: 'Not now' } }),
    },
    'Mutation.withdrawIdea': {
      allowed: ['member'],
      args: async () => ({ input: { ideaId: await submitted() } }),
    },

    // Initiatives: anyone joins or leaves for themself; the owner (member) and members plan it; a
    // metric's reporter (the owner by default) and the owner record and correct its readings; the
    // owner hands metrics and milestones to members, and completes a milestone (so does its
    // assignee); the owner completes it; the owner or the sponsor team's leads cancel it.
    'Mutation.joinInitiative': {
      allowed: ANYONE_SIGNED_IN, // for oneself (the owner is already a member: CONFLICT)
      args: async () => ({ input: { initiativeId: await initiative(), hoursPerWeek: 1 } }),
    },
    'Mutation.leaveInitiative': {
      allowed: ANYONE_SIGNED_IN, // for oneself (a non-member is told so, not refused)
      args: async () => ({ input: { initiativeId: await initiative() } }),
    },
    'Mutation.addMilestone': {
      allowed: ['member'],
      args: async () => ({ input: { initiativeId: await initiative(), title: 'Next' } }),
    },
    // The owner (member, in the fixtures) edits the plan of their initiative.
    'Mutation.editMilestone': {
      allowed: ['member'],
      args: async () => ({ input: { milestoneId: await milestone(), title: 'Renamed' } }),
    },
    'Mutation.editOutcomeMetric': {
      allowed: ['member'],
      args: async () => ({ input: { metricId: await metric(), target: 20 } }),
    },
    'Mutation.completeMilestone': {
      allowed: ['member'],
      args: async () => ({ input: { milestoneId: await milestone() } }),
    },
    'Mutation.assignMilestone': {
      allowed: ['member'],
      args: async () => ({
        input: { milestoneId: await milestone(), assigneeId: p().member.employee.id },
      }),
    },
    'Mutation.defineOutcomeMetric': {
      allowed: ['member'],
      args: async () => ({
        input: {
          initiativeId: await initiative(),
          name: 'Calls',
          unit: 'calls',
          baseline: 0,
          target: 10,
          direction: 'HIGHER_IS_BETTER',
        },
      }),
    },
    'Mutation.recordMeasurement': {
      allowed: ['member'],
      args: async () => ({ input: { metricId: await metric(), value: 3 } }),
    },
    'Mutation.setMetricReporter': {
      allowed: ['member'],
      args: async () => ({
        input: { metricId: await metric(), reporterId: p().member.employee.id },
      }),
    },
    'Mutation.correctMeasurement': {
      allowed: ['member'],
      args: async () => ({
        input: { measurementId: await measurement(), value: 2, reason: 'Miscounted' },
      }),
    },
    'Mutation.completeInitiative': {
      allowed: ['member'],
      args: async () => ({ input: { initiativeId: await initiative() } }),
    },
    'Mutation.cancelInitiative': {
      allowed: ['member', 'lead'],
      args: async () => ({ input: { initiativeId: await initiative() } }),
    },
  };

  const rootFields = (type: GraphQLObjectType) =>
    Object.values(type.getFields()).map((field) => [`${type.name}.${field.name}`, field] as const);
  const operations = [
    ...rootFields(schema.getQueryType()!),
    ...rootFields(schema.getMutationType()!),
  ];

  it('has a row for every query and mutation in the schema, and none besides', () => {
    expect(Object.keys(CASES).sort()).toEqual(operations.map(([name]) => name).sort());
  });

  /** `query($a: T!) { field(a: $a) { __typename } }` for the arguments the case gives. */
  function operationFor(name: string, field: GraphQLField<unknown, unknown>, given: string[]) {
    const kind = name.startsWith('Mutation.')
      ? 'mutation'
      : name.startsWith('Subscription.')
        ? 'subscription'
        : 'query';
    const args = field.args.filter((arg) => given.includes(arg.name));
    const declared = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
    const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
    // A scalar (unreadNotificationCount) takes no selection.
    const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
    return `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
  }

  it('lets each operation be used by exactly the callers allowed to', async () => {
    const mismatches: string[] = [];
    for (const [name, field] of operations) {
      const spec = CASES[name];
      if (!spec) continue;
      const allowedNow: Persona[] = [];
      for (const persona of PERSONAS) {
        const variables = await spec.args();
        const token = persona === 'anonymous' ? undefined : p()[persona].token;
        const result = await sut.gql(
          operationFor(name, field, Object.keys(variables)),
          variables,
          token,
        );
        const refusedAs = codes(result).find((code) => code && DENIED.has(code));
        if (!refusedAs) allowedNow.push(persona);
        if (spec.endsSessions) {
          // The caller's sessions, or (an admin signing someone out) another's: all get fresh tokens.
          for (const other of PERSONAS) {
            if (other === 'anonymous') continue;
            const person = p()[other];
            person.token = (await sut.app.get(AuthService).tokenFor(person.employee.id)).token;
          }
        }
        if (codes(result).includes('INTERNAL_SERVER_ERROR')) {
          mismatches.push(`${name} as ${persona}: internal error`);
        }
      }
      const expected = PERSONAS.filter((persona) => spec.allowed.includes(persona));
      if (expected.join() !== allowedNow.join()) {
        mismatches.push(
          `${name}: allowed ${allowedNow.join(', ')}; expected ${expected.join(', ')}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keeps /scim/v2 to SCIM bearer tokens: no employee token opens it, an admin’s neither', async () => {
    const { token } = await sut.app
      .get(ScimTokenService)
      .create({ name: 'Matrix' }, { id: p().admin.employee.id });
    const statuses: Record<string, number> = {};
    for (const persona of PERSONAS) {
      const bearer = persona === 'anonymous' ? undefined : p()[persona].token;
      for (const path of ['/Users', '/Groups', '/ServiceProviderConfig']) {
        const response = await fetch(`${sut.url}/scim/v2${path}`, {
          headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
        });
        statuses[`${persona} ${path}`] = response.status;
      }
    }
    expect(new Set(Object.values(statuses))).toEqual(new Set([401]));
    const provisioner = await fetch(`${sut.url}/scim/v2/Users?count=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(provisioner.status).toBe(200);
  });

  /** Subscriptions, over the WebSocket endpoint: each with the topic its events come on. */
  const SUBSCRIPTION_CASES: Record<
    string,
    Case & { topic: (args: any, persona: Persona) => string }
  > = {
    'Subscription.notificationReceived': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({}),
      // Each subscriber's own topic: nobody subscribes to anyone else's.
      topic: (_, persona) =>
        notificationTopic(persona === 'anonymous' ? 'nobody' : p()[persona].employee.id),
    },
    'Subscription.bidPlaced': {
      allowed: ['lead'],
      args: async () => ({ needId: await need() }),
      topic: ({ needId }) => bidPlacedTopic(needId),
    },
    'Subscription.ideaChanged': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ ideaId: await submitted() }),
      topic: ({ ideaId }) => ideaChangedTopic(ideaId),
    },
    'Subscription.initiativeChanged': {
      allowed: ANYONE_SIGNED_IN,
      args: async () => ({ initiativeId: await initiative() }),
      topic: ({ initiativeId }) => initiativeChangedTopic(initiativeId),
    },
  };
  /** A draft's changes are its proposer's alone to follow. */
  const DRAFT_CASE: Case & { topic: (args: any) => string } = {
    allowed: ['member'],
    args: async () => ({ ideaId: await draft() }),
    topic: ({ ideaId }) => ideaChangedTopic(ideaId),
  };
  const subscriptions = rootFields(schema.getSubscriptionType()!);

  it('has a row for every subscription in the schema, and none besides', () => {
    expect(Object.keys(SUBSCRIPTION_CASES).sort()).toEqual(
      subscriptions.map(([name]) => name).sort(),
    );
  });

  it('lets each subscription be followed over WebSocket by exactly the callers allowed to', async () => {
    const pubSub = sut.app.get<PubSubEngine>(PUB_SUB);
    const refused = (errors: { extensions?: { code?: string } }[] | undefined): boolean => {
      const code = errors ? errors[0]?.extensions?.code : 'UNAUTHENTICATED';
      if (!code || !DENIED.has(code)) throw new Error(`not a refusal: ${JSON.stringify(errors)}`);
      return false;
    };
    /** Accepted once its resolver attached to the topic; refused when an error comes first. */
    const accepted = async (
      name: string,
      field: GraphQLField<unknown, unknown>,
      spec: Case & { topic: (args: any, persona: Persona) => string },
      persona: Persona,
    ): Promise<boolean> => {
      const variables = await spec.args();
      const token = persona === 'anonymous' ? undefined : p()[persona].token;
      const subscriber = subscribe(
        sut.url,
        token,
        operationFor(name, field, Object.keys(variables)),
        variables,
      );
      const settled = new AbortController();
      try {
        return await Promise.race([
          listenerAttached(pubSub, spec.topic(variables, persona), 1, settled.signal).then(
            () => !settled.signal.aborted,
          ),
          // A refusal comes as the first event's errors, or closes the connection (anonymous).
          subscriber.next().then(
            (event: { errors?: { extensions?: { code?: string } }[] }) => refused(event.errors),
            (errors: unknown) => refused(Array.isArray(errors) ? errors : undefined),
          ),
        ]);
      } finally {
        settled.abort();
        await subscriber.close();
      }
    };
    const mismatches: string[] = [];
    const check = async (
      label: string,
      name: string,
      spec: Case & { topic: (args: any, persona: Persona) => string },
    ) => {
      const field = schema.getSubscriptionType()!.getFields()[name.split('.')[1]];
      const allowedNow: Persona[] = [];
      for (const persona of PERSONAS) {
        if (await accepted(name, field, spec, persona)) allowedNow.push(persona);
      }
      const expected = PERSONAS.filter((persona) => spec.allowed.includes(persona));
      if (expected.join() !== allowedNow.join()) {
        mismatches.push(
          `${label}: allowed ${allowedNow.join(', ')}; expected ${expected.join(', ')}`,
        );
      }
    };
    for (const [name, spec] of Object.entries(SUBSCRIPTION_CASES)) await check(name, name, spec);
    await check('Subscription.ideaChanged on a draft', 'Subscription.ideaChanged', DRAFT_CASE);
    expect(mismatches).toEqual([]);
  });

  describe('private things stay private through every path', () => {
    /** Every field that can return an idea or a bid: each must be covered below. */
    const COVERED = new Set([
      'Query.idea',
      'Query.ideas',
      'IdeaConnection.nodes',
      'IdeaConnection.edges',
      'IdeaEdge.node',
      'Idea.similarIdeas',
      'SimilarIdea.idea',
      'Initiative.idea', // approved ideas only: never a draft
      'LedgerAccount.idea', // null on a draft's escrow but to its proposer (ledger-view.e2e.spec.ts)
      'IdeaPayload.idea',
      'ApproveIdeaPayload.idea',
      'CloseIdeaPayload.idea',
      'PledgeToIdeaPayload.idea', // mutations on another's draft are refused (matrix, below)
      'Subscription.ideaChanged', // authorised like Query.idea (subscription matrix above)
      'Need.bids',
      'Need.myBid',
      'BidConnection.nodes',
      'BidConnection.edges',
      'BidEdge.node',
      'Employee.bids',
      'Engagement.bid', // engagement(id) is for its parties only (matrix)
      'BidPayload.bid',
      'AcceptBidPayload.bid',
      'Subscription.bidPlaced', // buyer leads only (subscription matrix above)
    ]);

    it('knows every field that returns an idea or a bid', () => {
      const paths: string[] = [];
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith('__')) continue;
        for (const field of Object.values(type.getFields())) {
          const named = getNamedType(field.type).name;
          if (/^(Idea|Bid|SimilarIdea)(Connection|Edge)?$/.test(named)) {
            paths.push(`${type.name}.${field.name}`);
          }
        }
      }
      expect(paths.filter((path) => !COVERED.has(path))).toEqual([]);
    });

    it('hides a draft idea from everyone but its proposer, by id, in lists and as a similar idea', async () => {
      const title = `Secret plan ${randomUUID().slice(0, 8)}`;
      const secret = await ideas.propose(p().member, world.t, 100, title);
      const lookalike = await ideas.submitted(p().outsider, world.o, 100, title);
      const byId = `query($id: ID!) { idea(id: $id) { id } }`;
      const lists = `query($other: ID!, $text: String!) {
        ideas(filter: { text: $text }, first: 100) { nodes { id } edges { node { id } } }
        other: idea(id: $other) { similarIdeas { idea { id } } }
      }`;
      const variables = { other: lookalike, text: title };
      for (const persona of ['outsider', 'otherLead', 'lead', 'admin'] as const) {
        const token = p()[persona].token;
        expect(codes(await sut.gql(byId, { id: secret }, token))).toEqual(['NOT_FOUND']);
        const listed = await sut.gql(lists, variables, token);
        expect(codes(listed)).toEqual([]);
        const seen = JSON.stringify(listed.data);
        expect(seen).not.toContain(secret);
        expect(seen).toContain(lookalike);
      }
      const own = await sut.gql(lists, variables, p().member.token);
      expect(codes(own)).toEqual([]);
      expect(JSON.stringify(own.data)).toContain(secret);

      // Nor can anyone act on it: endorse, pledge, comment.
      const attempts = [
        [
          `mutation($id: ID!) { endorseIdea(input: { ideaId: $id, endorsed: true }) { idea { id } } }`,
          p().outsider,
        ],
        [
          `mutation($id: ID!, $team: ID!) { pledgeToIdea(input: { ideaId: $id, teamId: $team, amount: 1 }) { idea { id } } }`,
          p().lead,
        ],
        [
          `mutation($id: ID!) { commentOn(input: { subjectType: IDEA, subjectId: $id, body: "?" }) { comment { id } } }`,
          p().otherLead,
        ],
      ] as const;
      for (const [mutation, who] of attempts) {
        const result = await sut.gql(mutation, { id: secret, team: world.t.id }, who.token);
        expect(codes(result)).toEqual(['NOT_FOUND']);
      }
    });

    it("shows a bid to its bidder and the buyer's leads only, on every path", async () => {
      const needId = await need();
      const rival = await new Factory(sut).person({ team: world.o });
      const bidId = await market.bid(p().outsider, needId, 1, 5);
      const rivalBid = await market.bid(rival, needId, 1, 4);
      const onNeed = `query($need: ID!) {
        need(id: $need) { bids(first: 100) { nodes { id } edges { node { id } } } myBid { id } }
      }`;
      const seenBy = async (who: Person) => {
        const result = await sut.gql(onNeed, { need: needId }, who.token);
        expect(codes(result)).toEqual([]);
        return JSON.stringify(result.data);
      };
      // The rival sees their own bid only; T's member (not a lead) and others see none.
      const rivalView = await seenBy(rival);
      expect(rivalView).toContain(rivalBid);
      expect(rivalView).not.toContain(bidId);
      for (const who of [p().member, p().otherLead, p().admin]) {
        expect(await seenBy(who)).not.toContain(bidId);
      }
      const leadView = await seenBy(p().lead);
      expect(leadView).toContain(bidId);
      expect(leadView).toContain(rivalBid);

      // A person's own list of bids is theirs alone.
      const ofBidder = `query($id: ID!) { employee(id: $id) { bids(first: 100) { nodes { id } } } }`;
      for (const who of [rival, p().lead, p().admin]) {
        const result = await sut.gql(ofBidder, { id: p().outsider.employee.id }, who.token);
        expect(JSON.stringify(result.data ?? null)).not.toContain(bidId);
        expect(codes(result)).toEqual(['FORBIDDEN']);
      }
      const own = await sut.gql(ofBidder, { id: p().outsider.employee.id }, p().outsider.token);
      expect(JSON.stringify(own.data)).toContain(bidId);
    });
  });
});
