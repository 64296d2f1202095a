import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDay } from '../../../common/validation/calendar-day.js';
import { InitiativeStatus } from '../../initiative/initiative.enums.js';
import { InitiativeOutcomeSort } from './dashboard.inputs.js';

/** ?from=YYYY-MM-DD&to=YYYY-MM-DD */
export class ExportPnlQuery {
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @IsOptional()
  @IsCalendarDay()
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
