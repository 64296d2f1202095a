import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphQLResolveInfo } from 'graphql';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { rateLimited } from '../errors/domain-error.js';
import type { GraphQLContext } from '../graphql/graphql-context.js';
import { SIGN_IN_ATTEMPTS } from './sign-in-attempts.decorator.js';

const MINUTE = 60;

/** The HTTP request behind a resolver or route (for a subscription, its upgrade request). */
function requestOf(context: ExecutionContext): Request | undefined {
  return context.getType<GqlContextType>() === 'graphql'
    ? (GqlExecutionContext.create(context).getContext<GraphQLContext>().req as Request)
    : context.switchToHttp().getRequest<Request>();
}

/**
 * The employee a bearer token names, for counting only: the signature is checked afterwards
 * by the access guard, so a forged subject gains nothing but a fresh per-employee count, and
 * the per-address limit still applies.
 */
function tokenSubject(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  try {
    const { sub } = decodeJwt(match[1]);
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Rate limits in one-minute windows, checked before anything reads the database: every call
 * per client address, per signed-in employee, and sign-in attempts per address (brute force).
 * Counted in Redis when REDIS_URL is set, so the limits hold across instances (in memory if
 * Redis fails), else in each instance's memory. Each root field of an operation counts once;
 * subscriptions are left alone (their connection is checked once).
 */
@Injectable()
export class RateLimitGuard implements CanActivate, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis?: Redis;
  private readonly address: RateLimiterAbstract;
  private readonly employee: RateLimiterAbstract;
  private readonly signIn: RateLimiterAbstract;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      });
      this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
    const limiter = (keyPrefix: string, points: number): RateLimiterAbstract => {
      const options = { keyPrefix: `mbd:rate:${keyPrefix}`, points, duration: MINUTE };
      if (!this.redis) return new RateLimiterMemory(options);
      return new RateLimiterRedis({
        ...options,
        storeClient: this.redis,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    this.address = limiter('address', config.rateLimit.perIp);
    this.employee = limiter('employee', config.rateLimit.perUser);
    this.signIn = limiter('sign-in', config.rateLimit.login);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType<GqlContextType>() === 'graphql') {
      const info = GqlExecutionContext.create(context).getInfo<GraphQLResolveInfo>();
      if (info.operation.operation === 'subscription') return true;
    }
    const req = requestOf(context);
    if (!req) return true;
    const address = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
    await this.consume(this.address, address);
    const subject = tokenSubject(req);
    if (subject) await this.consume(this.employee, subject);
    if (this.reflector.get<boolean>(SIGN_IN_ATTEMPTS, context.getHandler())) {
      await this.consume(this.signIn, address);
    }
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }

  private async consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw rateLimited(`Too many requests: try again in ${seconds} s`);
    }
  }
}
