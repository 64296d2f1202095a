import type { TeamEntity } from '../../src/modules/team/team.entity.js';
import type { Person } from './factories.js';
import { expectOk } from './market.js';
import type { TestApp } from './test-app.js';

export const PROPOSE = `mutation($input: ProposeIdeaInput!) { proposeIdea(input: $input) { idea { id status } } }`;
export const PLEDGE = `mutation($input: PledgeToIdeaInput!) {
  pledgeToIdea(input: $input) { idea { status pledgedTotal fundedPercent } pledge { id amount } transfer { amount kind } }
}`;
export const APPROVE = `mutation($input: IdeaDecisionInput!) {
  approveIdea(input: $input) { idea { status } initiative { id status budget balance owner { id } } }
}`;

/** Ideas through GraphQL, for tests. */
export class Ideas {
  constructor(readonly sut: TestApp) {}

  async propose(
    proposer: Person,
    sponsor: TeamEntity,
    fundingGoal: number,
    title = 'An idea',
  ): Promise<string> {
    const result = await this.sut.gql(
      PROPOSE,
      {
        input: {
          title,
          problem: 'Something is not as good as it could be.',
          proposal: 'Try something new.',
          sponsorTeamId: sponsor.id,
          fundingGoal,
        },
      },
      proposer.token,
    );
    expectOk(result);
    return result.data!.proposeIdea.idea.id;
  }

  async submitted(
    proposer: Person,
    sponsor: TeamEntity,
    fundingGoal: number,
    title?: string,
  ): Promise<string> {
    const ideaId = await this.propose(proposer, sponsor, fundingGoal, title);
    expectOk(
      await this.sut.gql(
        `mutation($id: ID!) { submitIdea(input: { ideaId: $id }) { idea { id } } }`,
        { id: ideaId },
        proposer.token,
      ),
    );
    return ideaId;
  }

  pledge(lead: Person, ideaId: string, teamId: string, amount: number, idempotencyKey?: string) {
    return this.sut.gql(PLEDGE, { input: { ideaId, teamId, amount, idempotencyKey } }, lead.token);
  }

  approve(lead: Person, ideaId: string) {
    return this.sut.gql(APPROVE, { input: { ideaId } }, lead.token);
  }

  withdraw(proposer: Person, ideaId: string) {
    return this.sut.gql(
      `mutation($id: ID!) { withdrawIdea(input: { ideaId: $id }) { idea { status } refunds { amount } } }`,
      { id: ideaId },
      proposer.token,
    );
  }

  /** Submitted, funded by `funders` (each a lead and their team) and approved by `approver`: the initiative's id. */
  async initiative(
    proposer: Person,
    sponsor: TeamEntity,
    approver: Person,
    funders: { lead: Person; team: TeamEntity; amount: number }[],
  ): Promise<string> {
    const goal = funders.reduce((sum, f) => sum + f.amount, 0);
    const ideaId = await this.submitted(proposer, sponsor, goal);
    for (const funder of funders)
      expectOk(await this.pledge(funder.lead, ideaId, funder.team.id, funder.amount));
    const approved = await this.approve(approver, ideaId);
    expectOk(approved);
    return approved.data!.approveIdea.initiative.id;
  }
}
