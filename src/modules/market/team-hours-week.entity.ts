import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { bigintAsNumber } from '../../database/column-types.js';
import { TeamEntity } from '../team/team.entity.js';
import { TimeLogStatus } from './market.enums.js';

/**
 * Hours logged per payee team, ISO week worked (Monday, UTC) and review state: a summary of
 * time_log that a statement-level trigger of the migration TeamHoursSummary keeps in the same
 * statement as every insert, update or delete of time logs (whatever code writes them), so the
 * P&L's hours over any range of weeks read a few rows per team instead of every log. The
 * trigger applies each statement's changes in key order (no deadlock between two statements);
 * a row reaching 0 hours stays. The invariants check it against time_log.
 */
@Entity('team_hours_week')
@Index('team_hours_week_week_idx', ['week'])
export class TeamHoursWeekEntity {
  @PrimaryColumn({
    name: 'team_id',
    type: 'uuid',
    primaryKeyConstraintName: 'team_hours_week_pkey',
  })
  teamId: string;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'team_hours_week_pkey' })
  week: string;

  @PrimaryColumn({
    type: 'enum',
    enum: TimeLogStatus,
    enumName: 'time_log_status',
    primaryKeyConstraintName: 'team_hours_week_pkey',
  })
  status: TimeLogStatus;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  hours: number;

  @ManyToOne(() => TeamEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'team_id', foreignKeyConstraintName: 'team_hours_week_team_id_fkey' })
  team?: Relation<TeamEntity>;
}
