import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { PubSub, type PubSubEngine } from 'graphql-subscriptions';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';

export const PUB_SUB = Symbol('PUB_SUB');

/** Injects the service's PubSub: `@InjectPubSub() pubSub: PubSubEngine`. */
export const InjectPubSub = (): PropertyDecorator & ParameterDecorator => Inject(PUB_SUB);

/** Closes the Redis connections on shutdown, so the process can exit. */
@Injectable()
class PubSubShutdown implements OnApplicationShutdown {
  constructor(@Inject(PUB_SUB) private readonly pubSub: PubSubEngine) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.pubSub instanceof RedisPubSub) await this.pubSub.close();
  }
}

/**
 * Subscription events: in memory for a single instance, or through Redis (REDIS_URL) so that
 * an event published by one instance reaches subscribers connected to any other.
 */
@Global()
@Module({
  providers: [
    {
      provide: PUB_SUB,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): PubSubEngine => {
        if (!config.redisUrl) {
          // Subscribers to one topic are bounded by the WebSocket server's caps, not by
          // EventEmitter's warning at 10.
          const eventEmitter = new EventEmitter();
          eventEmitter.setMaxListeners(0);
          return new PubSub({ eventEmitter });
        }
        const logger = new Logger('PubSub');
        const connect = (role: string): Redis => {
          const client = new Redis(config.redisUrl!, { maxRetriesPerRequest: null });
          client.on('error', (error: Error) => logger.warn(`redis ${role}: ${error.message}`));
          return client;
        };
        return new RedisPubSub({
          publisher: connect('publisher'),
          subscriber: connect('subscriber'),
        });
      },
    },
    PubSubShutdown,
  ],
  exports: [PUB_SUB],
})
export class PubSubModule {}
