import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from './rate-limit.guard.js';
import { RateLimits } from './rate-limits.js';

/** The rate limits: a global guard, and the counters that createApp's middleware also uses. */
@Module({
  providers: [RateLimits, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimits],
})
export class RateLimitModule {}
