import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimits } from './rate-limits.js';

/**
 * The rate limits: a global guard for HTTP routes, and the counters that createApp's
 * middleware, the GraphQL plugin, sign-in and the WebSocket server also use.
 */
@Global()
@Module({
  providers: [RateLimits, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimits],
})
export class RateLimitModule {}
