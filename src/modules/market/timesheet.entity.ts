import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { EngagementEntity } from './engagement.entity.js';

/**
 * One ISO week of an engagement: the hours logged in it by how the buyer's review left them.
 * The CHECK is the weekly limit: no week holds more than the engagement's hours per week,
 * whatever runs at once.
 */
@Entity('timesheet')
@Check(
  'timesheet_hours_check',
  `pending_hours >= 0 AND disputed_hours >= 0 AND approved_hours >= 0 AND refunded_hours >= 0
   AND pending_hours + disputed_hours + approved_hours + refunded_hours <= max_hours`,
)
@Check('timesheet_week_start_check', `extract(isodow from week_start) = 1`)
@Index('timesheet_engagement_week_key', ['engagementId', 'weekStart'], { unique: true })
// What the automatic approval looks for: weeks with hours still pending, by review deadline.
@Index('timesheet_review_due_idx', ['reviewEndsAt'], { where: 'pending_hours > 0' })
export class TimesheetEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'timesheet_pkey' })
  id: string;

  @Column({ name: 'engagement_id', type: 'uuid' })
  engagementId: string;

  /** The Monday of the week. */
  @Column({ name: 'week_start', type: 'date' })
  weekStart: string;

  /** The engagement's hours per week: the most this week may hold. */
  @Column({ name: 'max_hours', type: 'smallint' })
  maxHours: number;

  @Column({ name: 'pending_hours', type: 'smallint', default: 0 })
  pendingHours: number;

  @Column({ name: 'disputed_hours', type: 'smallint', default: 0 })
  disputedHours: number;

  @Column({ name: 'approved_hours', type: 'smallint', default: 0 })
  approvedHours: number;

  @Column({ name: 'refunded_hours', type: 'smallint', default: 0 })
  refundedHours: number;

  /** Until when the buyer may dispute; pending hours are approved automatically after it. */
  @Column({ name: 'review_ends_at', type: 'timestamptz' })
  reviewEndsAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => EngagementEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'engagement_id', foreignKeyConstraintName: 'timesheet_engagement_id_fkey' })
  engagement?: Relation<EngagementEntity>;
}
