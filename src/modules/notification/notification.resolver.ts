import { Args, Context, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { PubSubEngine } from 'graphql-subscriptions';
import type { Actor } from '../../common/auth/actor.js';
import { authorisedEvents } from '../../common/graphql/authorised-events.js';
import type { ConnectionResult } from '../../common/graphql/connection.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import type { GraphQLContext } from '../../common/graphql/graphql-context.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';
import {
  FollowInput,
  MarkNotificationsReadInput,
  NotificationsArgs,
  SetNotificationPreferenceInput,
} from './dto/notification.inputs.js';
import { NotificationKind } from './notification-kind.js';
import {
  FollowPayload,
  MarkNotificationsReadPayload,
  Notification,
  NotificationConnection,
  NotificationPreference,
} from './notification.model.js';
import {
  notificationTopic,
  NotificationService,
  type NotificationEvent,
} from './notification.service.js';

const KINDS = Object.values(NotificationKind).length;

/** The signed-in employee's inbox: only ever their own notifications. */
@Resolver(() => Notification)
export class NotificationResolver {
  constructor(
    private readonly inbox: NotificationService,
    @InjectPubSub() private readonly pubSub: PubSubEngine,
  ) {}

  @Query(() => NotificationConnection, { description: 'Your notifications, newest first.' })
  notifications(
    @Args() args: NotificationsArgs,
    @CurrentActor() actor: Actor,
  ): Promise<ConnectionResult<Notification>> {
    return this.inbox.inbox(actor, !!args.filter?.unreadOnly, args.first, args.after);
  }

  @Query(() => Int, { description: 'How many of your notifications are unread.' })
  unreadNotificationCount(@CurrentActor() actor: Actor): Promise<number> {
    return this.inbox.unreadCount(actor);
  }

  @Mutation(() => MarkNotificationsReadPayload, {
    description: 'Marks some of your notifications read, or all of them.',
  })
  markNotificationsRead(
    @Args('input') input: MarkNotificationsReadInput,
    @CurrentActor() actor: Actor,
  ): Promise<MarkNotificationsReadPayload> {
    return this.inbox.markRead(actor, input.notificationIds);
  }

  @Mutation(() => FollowPayload, {
    description:
      'Follows an idea, a need or an initiative you can see: its changes reach your inbox.',
  })
  async follow(
    @Args('input') input: FollowInput,
    @CurrentActor() actor: Actor,
  ): Promise<FollowPayload> {
    await this.inbox.follow(actor, input.subjectType, input.subjectId, true);
    return { ...input, following: true };
  }

  @Mutation(() => FollowPayload, {
    description: 'Stops following it (following nothing: a no-op).',
  })
  async unfollow(
    @Args('input') input: FollowInput,
    @CurrentActor() actor: Actor,
  ): Promise<FollowPayload> {
    await this.inbox.follow(actor, input.subjectType, input.subjectId, false);
    return { ...input, following: false };
  }

  @Query(() => [NotificationPreference], {
    description: atMost(KINDS, 'How you want each kind of notification (INBOX unless you chose).'),
  })
  @MaxItems(KINDS)
  notificationPreferences(@CurrentActor() actor: Actor): Promise<NotificationPreference[]> {
    return this.inbox.preferences(actor);
  }

  @Mutation(() => NotificationPreference, {
    description:
      'INBOX, EMAIL_DIGEST (inbox and daily digest), EMAIL_NOW (inbox and an e-mail at once) or OFF, for one kind.',
  })
  setNotificationPreference(
    @Args('input') input: SetNotificationPreferenceInput,
    @CurrentActor() actor: Actor,
  ): Promise<NotificationPreference> {
    return this.inbox.setPreference(actor, input.kind, input.channel);
  }

  @Subscription(() => Notification, {
    description: 'Your notifications as they are written, from any instance.',
    resolve(
      this: NotificationResolver,
      event: NotificationEvent,
      _: unknown,
      context: GraphQLContext,
    ) {
      return this.inbox.findOwn(context.actor!, event.notificationId);
    },
  })
  notificationReceived(
    @CurrentActor() actor: Actor,
    @Context() context: GraphQLContext,
  ): AsyncIterableIterator<NotificationEvent> {
    // Each event re-checks the session (authorisedEvents): a signed-out subscriber stops.
    return authorisedEvents(
      context,
      this.pubSub.asyncIterableIterator<NotificationEvent>(notificationTopic(actor.id)),
      () => undefined,
    );
  }
}
