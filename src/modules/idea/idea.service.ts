import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden, invalidTransition, notFound } from '../../common/errors/domain-error.js';
import { isConstraintViolation } from '../../common/errors/postgres-errors.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { normalizeSkillName, tidySkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import type { EndorseIdeaInput, IdeaFilter, ProposeIdeaInput } from './dto/idea.inputs.js';
import { ideaChangedTopic, type IdeaChangedEvent } from './idea-events.js';
import { isProposer, isVisibleIdea, takesEndorsements } from './idea-policy.js';
import { IdeaSort, IdeaStatus } from './idea.enums.js';
import { IdeaRepository } from './idea.repository.js';
import type { Idea, SimilarIdea } from './models/idea.models.js';

/** Where the tests and other modules have always found it. */
export { ideaChangedTopic, type IdeaChangedEvent } from './idea-events.js';

/**
 * Ideas from proposal to submission, endorsements, and reading them (search, look-alikes).
 * Money and decisions (pledges, approval, rejection, withdrawal) are IdeaFundingService's.
 */
@Injectable()
export class IdeaService {
  constructor(
    private readonly ideas: IdeaRepository,
    private readonly ledger: LedgerService,
    private readonly skills: SkillService,
    private readonly unitOfWork: UnitOfWork,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  /**
   * A DRAFT, seen only by its proposer until submitted, with its own (empty) escrow. Skills
   * that exist are linked at once; names nobody has used wait on the draft, so that a draft
   * never publishes a skill.
   */
  async propose(input: ProposeIdeaInput, actor: Actor): Promise<Idea> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const id = randomUUID();
      const escrow = await this.ledger.openAccount(tx, AccountKind.IDEA_ESCROW, id);
      const known = await this.skills.findByNames(tx, input.skillsNeeded);
      const pending = new Map<string, string>();
      for (const name of input.skillsNeeded) {
        const key = normalizeSkillName(name);
        if (!known.has(key) && !pending.has(key)) pending.set(key, tidySkillName(name));
      }
      let idea: Idea;
      try {
        idea = await this.ideas.insert(tx, {
          id,
          proposerId: actor.id,
          sponsorTeamId: input.sponsorTeamId,
          escrowAccountId: escrow.id,
          title: input.title,
          problem: input.problem,
          proposal: input.proposal,
          expectedOutcomes: input.expectedOutcomes,
          fundingGoal: input.fundingGoal,
          hoursPerWeekNeeded: input.hoursPerWeekNeeded ?? null,
          pendingSkillNames: [...pending.values()],
        });
      } catch (error) {
        if (isConstraintViolation(error, 'idea_sponsor_team_id_fkey'))
          throw notFound('Team', 'sponsorTeamId');
        throw error;
      }
      await this.ideas.linkSkills(
        tx,
        id,
        [...known.values()].map((skill) => skill.id),
      );
      await tx.record({
        action: 'idea.propose',
        subjectType: 'Idea',
        subjectId: id,
        payload: {
          title: input.title,
          sponsorTeamId: input.sponsorTeamId,
          fundingGoal: input.fundingGoal,
        },
      });
      return idea;
    });
  }

  /** Publishes the draft, and with it the skill names it was the first to use. */
  async submit(ideaId: string, actor: Actor): Promise<Idea> {
    return this.changeLockedIdea(ideaId, actor, async (tx, idea) => {
      if (!isProposer(actor, idea)) throw forbidden('Only the proposer submits an idea');
      if (idea.status !== IdeaStatus.DRAFT)
        throw invalidTransition(`The idea is ${idea.status} already`);
      // Someone may have created some of them meanwhile: those are linked as they are.
      const created = await this.skills.ensureSkills(tx, idea.pendingSkillNames);
      await this.ideas.linkSkills(
        tx,
        idea.id,
        [...created.values()].map((skill) => skill.id),
      );
      const submitted = await this.ideas.markSubmitted(tx, idea.id);
      await this.record(tx, 'idea.submit', idea.id);
      return submitted;
    });
  }

  /** One endorsement per person; endorsing again does nothing, `endorsed: false` takes it back. */
  async endorse(input: EndorseIdeaInput, actor: Actor): Promise<Idea> {
    return this.changeLockedIdea(input.ideaId, actor, async (tx, idea) => {
      if (isProposer(actor, idea)) throw forbidden('Proposers cannot endorse their own idea');
      if (!takesEndorsements(idea)) {
        throw invalidTransition(`The idea is ${idea.status}: it takes no endorsements`);
      }
      const changed = input.endorsed
        ? await this.ideas.addEndorsement(tx, idea.id, actor.id)
        : await this.ideas.removeEndorsement(tx, idea.id, actor.id);
      if (!changed) return idea;
      const endorsed = await this.ideas.countEndorsements(tx, idea.id, input.endorsed ? 1 : -1);
      await this.record(tx, input.endorsed ? 'idea.endorse' : 'idea.unendorse', idea.id);
      return endorsed;
    });
  }

  /** The idea, whoever asks (NOT_FOUND if there is none). */
  async findById(id: string, db?: Db): Promise<Idea> {
    const idea = await this.ideas.findById(id, db);
    if (!idea) throw notFound('Idea');
    return idea;
  }

  /** The idea if the actor may see it; someone else's draft is NOT_FOUND on `field`. */
  async findVisible(id: string, actor: Actor, field = 'id'): Promise<Idea> {
    const idea = await this.ideas.findById(id);
    if (!idea || !isVisibleIdea(idea, actor)) throw notFound('Idea', field);
    return idea;
  }

  list(
    actor: Actor,
    filter: IdeaFilter | undefined,
    sort: IdeaSort,
    first: number,
    after?: string,
  ): Promise<ConnectionResult<Idea>> {
    return this.ideas.page(actor.id, filter, sort, first, after);
  }

  /**
   * Ideas that look like this one, so duplicates show before anyone funds both. Others'
   * drafts stay hidden.
   */
  similar(idea: Idea, actor: Actor, first: number): Promise<SimilarIdea[]> {
    return this.ideas.similar(idea, actor.id, first);
  }

  /** A change without money: one unit of work on the locked idea, announced after commit. */
  private changeLockedIdea(
    ideaId: string,
    actor: Actor,
    work: (tx: Tx, idea: Idea) => Promise<Idea>,
  ): Promise<Idea> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const idea = await this.ideas.lock(tx, ideaId);
      if (!idea || !isVisibleIdea(idea, actor)) throw notFound('Idea', 'ideaId');
      tx.afterCommit(() =>
        this.pubSub.publish(ideaChangedTopic(ideaId), { ideaId } satisfies IdeaChangedEvent),
      );
      return work(tx, idea);
    });
  }

  private record(tx: Tx, action: string, ideaId: string): Promise<void> {
    return tx.record({ action, subjectType: 'Idea', subjectId: ideaId, payload: {} });
  }
}
