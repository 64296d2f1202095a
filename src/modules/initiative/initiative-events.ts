import { Injectable } from '@nestjs/common';
import type { PubSubEngine } from 'graphql-subscriptions';
import { InjectPubSub } from '../../common/pubsub/pubsub.module.js';

export const initiativeChangedTopic = (initiativeId: string): string =>
  `initiativeChanged:${initiativeId}`;

export interface InitiativeChangedEvent {
  initiativeId: string;
}

/** Tells initiativeChanged subscribers: every initiative service calls it after commit. */
@Injectable()
export class InitiativeChanges {
  constructor(@InjectPubSub() private readonly pubSub: PubSubEngine) {}

  async announce(initiativeId: string): Promise<void> {
    await this.pubSub.publish(initiativeChangedTopic(initiativeId), {
      initiativeId,
    } satisfies InitiativeChangedEvent);
  }
}
