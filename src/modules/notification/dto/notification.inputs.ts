import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsUUID,
  ValidateNested,
} from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { FollowSubject, NotificationChannel, NotificationKind } from '../notification-kind.js';

@InputType()
export class NotificationFilter {
  @Field({ nullable: true, description: 'Only those not marked read.' })
  @IsOptional()
  @IsBoolean()
  unreadOnly?: boolean;
}

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field(() => NotificationFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationFilter)
  filter?: NotificationFilter;
}

/** The most notifications one call marks by id. */
export const MAX_MARKED = 100;

@InputType()
export class MarkNotificationsReadInput {
  @Field(() => [ID], {
    nullable: true,
    description: `These (at most ${MAX_MARKED}, your own); left out: all of yours.`,
  })
  @IsOptional()
  @ArrayMaxSize(MAX_MARKED)
  @IsUUID('all', { each: true })
  notificationIds?: string[];
}

@InputType()
export class FollowInput {
  @Field(() => FollowSubject)
  @IsEnum(FollowSubject)
  subjectType: FollowSubject;

  @Field(() => ID)
  @IsUUID()
  subjectId: string;
}

@InputType()
export class SetNotificationPreferenceInput {
  @Field(() => NotificationKind)
  @IsEnum(NotificationKind)
  kind: NotificationKind;

  @Field(() => NotificationChannel)
  @IsEnum(NotificationChannel)
  channel: NotificationChannel;
}
