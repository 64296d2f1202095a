import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { badInput, forbidden, invalidTransition } from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { changesBetween, RevisionService } from '../revision/revision.service.js';
import { normalizeSkillName, tidySkillName } from '../skill/skill-name.js';
import { SkillService } from '../skill/skill.service.js';
import type { EditNeedInput } from './dto/market-actions.input.js';
import type { RequiredSkillInput } from './dto/post-need.input.js';
import { actsForBuyer, isEditableNeed } from './market-policy.js';
import type { Need } from './models/market.models.js';
import { NeedRepository } from './need.repository.js';

/** "name (level)", as NeedRepository.requiredSkillLabels lists them: highest level first. */
const labels = (skills: readonly RequiredSkillInput[]): string[] =>
  [...skills]
    .sort(
      (a, b) =>
        b.minLevel - a.minLevel ||
        normalizeSkillName(a.name).localeCompare(normalizeSkillName(b.name)),
    )
    .map((s) => `${tidySkillName(s.name)} (${s.minLevel})`);

/**
 * The buyer's edits of a need's title, description and required skills, while it is OPEN
 * and no bid is accepted. Each keeps a revision; `need.edit` tells the pending bidders.
 */
@Injectable()
export class NeedEditService {
  constructor(
    private readonly needs: NeedRepository,
    private readonly skills: SkillService,
    private readonly revisions: RevisionService,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async edit(input: EditNeedInput, actor: Actor): Promise<Need> {
    const names = (input.requiredSkills ?? []).map((s) => normalizeSkillName(s.name));
    names.forEach((name, index) => {
      if (names.indexOf(name) !== index) {
        const field = `requiredSkills.${index}.name`;
        throw badInput(field, `${field}: "${input.requiredSkills![index].name}" is listed twice`);
      }
    });
    return this.unitOfWork.run({ actor }, async (tx) => {
      // FOR UPDATE, as acceptBid locks it: an edit and an acceptance take turns, and the
      // second sees what the first did (an accepted bid ends editing).
      const need = await this.needs.lock(tx, input.needId, 'UPDATE', 'needId');
      if (!actsForBuyer(actor, need)) throw forbidden("Only the buyer's leads edit this need");
      if (!isEditableNeed(need)) {
        throw invalidTransition(
          need.acceptedHoursPerWeek > 0
            ? 'A bid on this need has been accepted: it can no longer be edited'
            : `The need is ${need.status}: it can no longer be edited`,
        );
      }
      const currentSkills = await this.needs.requiredSkillLabels(tx, need.id);
      const changes = changesBetween(
        { title: need.title, description: need.description, requiredSkills: currentSkills },
        {
          title: input.title,
          description: input.description,
          requiredSkills: input.requiredSkills && labels(input.requiredSkills),
        },
      );
      if (Object.keys(changes).length === 0) return need;

      if (changes.requiredSkills) {
        const required = input.requiredSkills!;
        const skills = await this.skills.ensureSkills(
          tx,
          required.map((s) => s.name),
        );
        await this.needs.removeRequiredSkills(tx, need.id);
        if (required.length > 0) {
          await this.needs.addRequiredSkills(
            tx,
            need.id,
            required.map((s) => skills.get(normalizeSkillName(s.name))!.id),
            required.map((s) => s.minLevel),
          );
        }
      }
      const edited = await this.needs.updateText(
        tx,
        need.id,
        input.title ?? need.title,
        input.description ?? need.description,
      );
      await this.revisions.record(tx, 'Need', need.id, actor.id, changes);
      await tx.record({
        action: 'need.edit',
        subjectType: 'Need',
        subjectId: need.id,
        payload: { fields: Object.keys(changes) },
      });
      return edited;
    });
  }
}
