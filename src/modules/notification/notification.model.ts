import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../../common/graphql/connection.js';
import { FollowSubject, NotificationChannel, NotificationKind } from './notification-kind.js';

registerEnumType(NotificationKind, { name: 'NotificationKind' });
registerEnumType(NotificationChannel, {
  name: 'NotificationChannel',
  valuesMap: {
    INBOX: { description: 'In the inbox (the default).' },
    EMAIL_DIGEST: { description: 'In the inbox and in the daily e-mail digest.' },
    EMAIL_NOW: { description: 'In the inbox, and e-mailed on its own as soon as it happens.' },
    OFF: { description: 'Not at all.' },
  },
});
registerEnumType(FollowSubject, { name: 'FollowSubject' });

@ObjectType({ description: 'One line of your inbox: something that happened that concerns you.' })
export class Notification {
  @Field(() => ID)
  id: string;

  @Field(() => NotificationKind)
  kind: NotificationKind;

  @Field({ description: 'What it is about, to open it: Need, Engagement, Idea or Initiative.' })
  subjectType: string;

  @Field(() => ID)
  subjectId: string;

  @Field({ description: 'What happened, as it was told when it happened.' })
  message: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When you marked it read; null: unread.' })
  readAt: Date | null;

  recipientId: string;
  actorId: string | null;
  /** Write order (the inbox's sort key). */
  seq: number;
}

@ObjectType()
export class NotificationConnection extends Connection(Notification) {}

@ObjectType()
export class MarkNotificationsReadPayload {
  @Field(() => Int, { description: 'How many were unread and are now read.' })
  marked: number;

  @Field(() => Int)
  unreadCount: number;
}

@ObjectType({ description: 'How you want one kind of notification.' })
export class NotificationPreference {
  @Field(() => NotificationKind)
  kind: NotificationKind;

  @Field(() => NotificationChannel)
  channel: NotificationChannel;
}

@ObjectType()
export class FollowPayload {
  @Field(() => FollowSubject)
  subjectType: FollowSubject;

  @Field(() => ID)
  subjectId: string;

  @Field({ description: 'Whether you follow it now.' })
  following: boolean;
}
