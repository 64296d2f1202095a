import { Injectable } from '@nestjs/common';
import { InitiativeStatus } from '../initiative/initiative.enums.js';
import { round1 } from './dashboard-figures.js';
import type { InitiativeOutcomeSort, InitiativeOutcomesFilter } from './dto/dashboard.inputs.js';
import { InitiativeOutcomesRepository } from './initiative-outcomes.repository.js';
import type { InitiativeOutcomes, OutcomeTotals } from './models/dashboard.models.js';

/** Initiatives in numbers: org-wide totals over a filter, and a page of the initiatives. */
@Injectable()
export class InitiativeOutcomesService {
  constructor(private readonly repository: InitiativeOutcomesRepository) {}

  async outcomes(
    filter: InitiativeOutcomesFilter | undefined,
    sort: InitiativeOutcomeSort,
    first: number,
    after?: string,
  ): Promise<InitiativeOutcomes> {
    const sums = await this.repository.totals(filter);
    const totals: OutcomeTotals = {
      initiativeCount: sums.count,
      funded: sums.funded,
      spent: sums.spent,
      averageOutcomeScore: round1(sums.score),
      byStatus: [
        { status: InitiativeStatus.ACTIVE, count: sums.active },
        { status: InitiativeStatus.COMPLETED, count: sums.completed },
        { status: InitiativeStatus.CANCELLED, count: sums.cancelled },
      ],
    };
    const initiatives = await this.repository.page(
      filter,
      sort,
      first,
      after,
      async () => totals.initiativeCount,
    );
    return { totals, initiatives };
  }
}
