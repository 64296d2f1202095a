import { Injectable } from '@nestjs/common';
import { percentOf, round1 } from './dashboard-figures.js';
import type { IdeaFunnelFilter } from './dto/dashboard.inputs.js';
import { IdeaFunnelRepository } from './idea-funnel.repository.js';
import { FunnelStage, type IdeaFunnel } from './models/dashboard.models.js';

/**
 * How far ideas get. An idea reaches SUBMITTED, FUNDED and APPROVED when it gets there, even if
 * it later leaves (a funded idea that is then rejected still counts as funded). Time in a stage
 * is measured for the ideas that moved on to the next one: draft to submission, submission to
 * full funding, full funding to approval.
 *
 * Drafts are their proposer's alone, so no figure counts an idea before it is submitted: a
 * draft, or one withdrawn unsubmitted, is in no stage and no withdrawn count. PROPOSED counts
 * the same ideas as SUBMITTED; its time in stage is how long they were drafts.
 */
@Injectable()
export class IdeaFunnelService {
  constructor(private readonly repository: IdeaFunnelRepository) {}

  async funnel(filter: IdeaFunnelFilter | undefined): Promise<IdeaFunnel> {
    const counts = await this.repository.counts(filter);
    const stages: [FunnelStage, number, number | null][] = [
      [FunnelStage.PROPOSED, counts.proposed, counts.draftHours],
      [FunnelStage.SUBMITTED, counts.submitted, counts.fundingHours],
      [FunnelStage.FUNDED, counts.funded, counts.approvalHours],
      [FunnelStage.APPROVED, counts.approved, null],
    ];
    return {
      steps: stages.map(([stage, reached, medianHours], i) => ({
        stage,
        reached,
        conversionPercent: percentOf(reached, i > 0 ? stages[i - 1][1] : null),
        medianHoursInStage: round1(medianHours),
      })),
      rejected: counts.rejected,
      withdrawn: counts.withdrawn,
    };
  }
}
