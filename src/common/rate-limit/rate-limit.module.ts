import { Global, Module } from '@nestjs/common';
import { RateLimits } from './rate-limits.js';

/**
 * The rate limits' counters, for createApp's per-address middleware, the GraphQL plugin, the
 * HTTP routes' guard (in the auth module, which verifies whom to count), sign-in and the
 * WebSocket server.
 */
@Global()
@Module({ providers: [RateLimits], exports: [RateLimits] })
export class RateLimitModule {}
