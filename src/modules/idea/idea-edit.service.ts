import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden, invalidTransition, notFound } from '../../common/errors/domain-error.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import { UnitOfWork, type Tx } from '../../common/unit-of-work/unit-of-work.js';
import { changesBetween, RevisionService } from '../revision/revision.service.js';
import { normalizeSkillName, tidySkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import type { EditIdeaInput } from './dto/idea.inputs.js';
import { ideaChangedTopic, type IdeaChangedEvent } from './idea-events.js';
import { isEditable, isProposer, isVisibleIdea } from './idea-policy.js';
import { IdeaStatus } from './idea.enums.js';
import { IdeaRepository } from './idea.repository.js';
import type { Idea } from './models/idea.models.js';

/** The same names, whatever their case, spacing and order. */
const sameSkills = (a: readonly string[], b: readonly string[]): boolean => {
  const key = (names: readonly string[]) =>
    [...new Set(names.map(normalizeSkillName))].sort().join('\n');
  return key(a) === key(b);
};

/**
 * The proposer's edits of an idea's text and skills, while it is a DRAFT or SUBMITTED. Each
 * edit keeps a revision; the `idea.edit` event tells its pledgers and followers.
 */
@Injectable()
export class IdeaEditService {
  constructor(
    private readonly ideas: IdeaRepository,
    private readonly skills: SkillService,
    private readonly revisions: RevisionService,
    private readonly unitOfWork: UnitOfWork,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  async edit(input: EditIdeaInput, actor: Actor): Promise<Idea> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      // FOR UPDATE: pledges and decisions lock the idea the same way, so one waits for the other.
      const idea = await this.ideas.lock(tx, input.ideaId);
      if (!idea || !isVisibleIdea(idea, actor)) throw notFound('Idea', 'ideaId');
      if (!isProposer(actor, idea)) throw forbidden('Only the proposer edits an idea');
      if (!isEditable(idea))
        throw invalidTransition(`The idea is ${idea.status}: it can no longer be edited`);

      const currentSkills = [
        ...(await this.ideas.linkedSkillNames(tx, idea.id)),
        ...idea.pendingSkillNames,
      ];
      const skillsChange =
        input.skillsNeeded !== undefined && !sameSkills(currentSkills, input.skillsNeeded);
      const proposedSkills = skillsChange ? uniqueNames(input.skillsNeeded!) : undefined;
      const changes = changesBetween(
        {
          title: idea.title,
          problem: idea.problem,
          proposal: idea.proposal,
          expectedOutcomes: idea.expectedOutcomes,
          skillsNeeded: currentSkills,
        },
        {
          title: input.title,
          problem: input.problem,
          proposal: input.proposal,
          expectedOutcomes: input.expectedOutcomes,
          skillsNeeded: proposedSkills,
        },
      );
      if (Object.keys(changes).length === 0) return idea;

      const pendingSkillNames = proposedSkills
        ? await this.relinkSkills(tx, idea, proposedSkills)
        : idea.pendingSkillNames;
      const edited = await this.ideas.updateText(tx, idea.id, {
        title: input.title ?? idea.title,
        problem: input.problem ?? idea.problem,
        proposal: input.proposal ?? idea.proposal,
        expectedOutcomes: input.expectedOutcomes ?? idea.expectedOutcomes,
        pendingSkillNames,
      });
      await this.revisions.record(tx, 'Idea', idea.id, actor.id, changes);
      await tx.record({
        action: 'idea.edit',
        subjectType: 'Idea',
        subjectId: idea.id,
        payload: { fields: Object.keys(changes) },
      });
      tx.afterCommit(() =>
        this.pubSub.publish(ideaChangedTopic(idea.id), {
          ideaId: idea.id,
        } satisfies IdeaChangedEvent),
      );
      return edited;
    });
  }

  /**
   * Links the idea to exactly `names` and returns its pending skill names: a draft links the
   * skills that exist and keeps the others pending (a draft never publishes a skill, as at
   * proposal); a submitted idea creates them.
   */
  private async relinkSkills(tx: Tx, idea: Idea, names: string[]): Promise<string[]> {
    const found =
      idea.status === IdeaStatus.DRAFT
        ? await this.skills.findByNames(tx, names)
        : await this.skills.ensureSkills(tx, names);
    const ids = [...found.values()].map((skill) => skill.id);
    await this.ideas.unlinkSkillsExcept(tx, idea.id, ids);
    await this.ideas.linkSkills(tx, idea.id, ids);
    return names.filter((name) => !found.has(normalizeSkillName(name)));
  }
}

/** The names once each (by normalised name), tidied. */
function uniqueNames(names: readonly string[]): string[] {
  const unique = new Map<string, string>();
  for (const name of names) {
    const key = normalizeSkillName(name);
    if (!unique.has(key)) unique.set(key, tidySkillName(name));
  }
  return [...unique.values()];
}
