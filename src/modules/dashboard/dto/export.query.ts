import { IsEnum, IsOptional, IsUUID, Matches } from 'class-validator';
import { InitiativeStatus } from '../../initiative/initiative.enums.js';
import { InitiativeOutcomeSort } from './dashboard.inputs.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** ?from=YYYY-MM-DD&to=YYYY-MM-DD */
export class ExportPnlQuery {
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date like 2026-01-31' })
  from?: string;

  @IsOptional()
  @Matches(DATE, { message: 'to must be a date like 2026-12-31' })
  to?: string;
}

/** The initiativeOutcomes filter and sort, as query parameters. */
export class ExportOutcomesQuery extends ExportPnlQuery {
  @IsOptional()
  @IsEnum(InitiativeStatus)
  status?: InitiativeStatus;

  @IsOptional()
  @IsUUID()
  sponsorTeamId?: string;

  @IsOptional()
  @IsUUID()
  fundedByTeamId?: string;

  @IsOptional()
  @IsEnum(InitiativeOutcomeSort)
  sort: InitiativeOutcomeSort = InitiativeOutcomeSort.OUTCOME_SCORE;
}
