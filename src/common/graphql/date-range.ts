import { Field, InputType } from '@nestjs/graphql';
import { IsOptional } from 'class-validator';
import { GraphQLLocalDate } from 'graphql-scalars';
import { IsCalendarDay } from '../validation/calendar-day.js';

@InputType({ description: 'Days from `from` to `to`, both included; either end may be left open.' })
export class DateRange {
  @Field(() => GraphQLLocalDate, { nullable: true })
  @IsOptional()
  @IsCalendarDay()
  from?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  @IsOptional()
  @IsCalendarDay()
  to?: string;
}

/** A range of whole weeks, each named by its Monday (UTC); an open end is null. */
export interface WeekRange {
  from: string | null;
  to: string | null;
}

/** The Monday (UTC) of the week holding a YYYY-MM-DD day. */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * 86_400_000).toISOString().slice(0, 10);
}

/** The weeks a day range touches: from the Monday of `from` to the Monday of `to`. */
export function weeksOf(range: DateRange | undefined): WeekRange {
  return {
    from: range?.from ? mondayOf(range.from) : null,
    to: range?.to ? mondayOf(range.to) : null,
  };
}

/** The Sunday ending a week named by its Monday. */
export function sundayOf(monday: string): string {
  return new Date(new Date(`${monday}T00:00:00Z`).getTime() + 6 * 86_400_000)
    .toISOString()
    .slice(0, 10);
}
