import { Injectable } from '@nestjs/common';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { InitiativeStatus } from '../initiative/initiative.enums.js';
import { round1 } from './dashboard-figures.js';
import type { InitiativeOutcomeSort, InitiativeOutcomesFilter } from './dto/dashboard.inputs.js';
import { InitiativeOutcomesRepository } from './initiative-outcomes.repository.js';
import type { InitiativeOutcome, OutcomeTotals } from './models/dashboard.models.js';

/** Initiatives in numbers: org-wide totals over a filter, and a page of the initiatives. */
@Injectable()
export class InitiativeOutcomesService {
  constructor(private readonly repository: InitiativeOutcomesRepository) {}

  /** Org-wide figures over every initiative the filter selects. */
  async totals(filter: InitiativeOutcomesFilter | undefined): Promise<OutcomeTotals> {
    const sums = await this.repository.totals(filter);
    return {
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
  }

  /**
   * A page of the selected initiatives in the chosen order; `countAll` answers `totalCount`
   * (from totals the caller may already have).
   */
  page(
    filter: InitiativeOutcomesFilter | undefined,
    sort: InitiativeOutcomeSort,
    first: number,
    after: string | undefined,
    countAll: () => Promise<number>,
  ): Promise<ConnectionResult<InitiativeOutcome>> {
    return this.repository.page(filter, sort, first, after, countAll);
  }

  /** Both at once (the CSV export). */
  async outcomes(
    filter: InitiativeOutcomesFilter | undefined,
    sort: InitiativeOutcomeSort,
    first: number,
    after?: string,
  ): Promise<{ totals: OutcomeTotals; initiatives: ConnectionResult<InitiativeOutcome> }> {
    const totals = await this.totals(filter);
    const initiatives = await this.page(
      filter,
      sort,
      first,
      after,
      async () => totals.initiativeCount,
    );
    return { totals, initiatives };
  }
}
