import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import { decodeJwt, jwtVerify } from 'jose';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { ErrorCode } from '../errors/error-code.js';
import { DomainError, rateLimited } from '../errors/domain-error.js';

const MINUTE = 60;

/**
 * The counters behind the rate limits, one-minute windows: every request per client address,
 * calls per signed-in employee, sign-in attempts per address. In Redis when REDIS_URL is set,
 * so that every instance shares them (in memory if Redis fails), else in this instance's memory.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis?: Redis;
  private readonly address: RateLimiterAbstract;
  private readonly employee: RateLimiterAbstract;
  private readonly signIn: RateLimiterAbstract;
  /** Imported once: given bytes, jose would import the key again on every verification. */
  private readonly secret: KeyObject;
  /** Each request's verified key, so an operation with several root fields verifies once. */
  private readonly keys = new WeakMap<Request, Promise<string | undefined>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
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
    this.secret = createSecretKey(Buffer.from(config.jwt.secret));
  }

  /** Counts in Redis from the first request (until it answers, the memory insurance would). */
  async onModuleInit(): Promise<void> {
    if (!this.redis || this.redis.status === 'ready') return;
    const timeout = AbortSignal.timeout(5_000);
    await once(this.redis, 'ready', { signal: timeout }).catch(() =>
      this.logger.warn('redis is not ready: counting in memory until it is'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }

  /** Express middleware: every request but health checks counts against its address. */
  addressMiddleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.path === '/health') return next();
      this.consume(this.address, addressOf(req)).then(
        () => next(),
        (error: unknown) => {
          if (!(error instanceof DomainError)) return next(error);
          const body = { message: error.message, extensions: { code: ErrorCode.RATE_LIMITED } };
          res
            .status(429)
            .json(
              req.path.startsWith('/graphql')
                ? { errors: [body] }
                : { error: { code: ErrorCode.RATE_LIMITED, message: error.message } },
            );
        },
      );
    };
  }

  /** Counts a call against the employee the request's bearer token was verifiably issued to. */
  async countEmployee(req: Request): Promise<void> {
    let key = this.keys.get(req);
    if (!key) {
      key = this.employeeKey(req.headers.authorization);
      this.keys.set(req, key);
    }
    const employee = await key;
    if (employee) await this.consume(this.employee, employee);
  }

  async countSignIn(req: Request): Promise<void> {
    await this.consume(this.signIn, addressOf(req));
  }

  /**
   * Our own tokens: the verified subject (a forged token naming someone else counts for nobody,
   * so it cannot use up their allowance). Identity-provider tokens: a digest of the token.
   */
  private async employeeKey(authorization: string | undefined): Promise<string | undefined> {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    try {
      if (this.config.oidc && decodeJwt(token).iss === this.config.oidc.issuer) {
        return `oidc:${createHash('sha256').update(token).digest('base64url')}`;
      }
      const { issuer, audience } = this.config.jwt;
      const { payload } = await jwtVerify(token, this.secret, {
        issuer,
        audience,
        algorithms: ['HS256'],
      });
      return typeof payload.sub === 'string' ? payload.sub : undefined;
    } catch {
      return undefined; // not a valid token: the access guard refuses it, the address counts it
    }
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

/** The client's address: the connection's, or the proxy's view of it with TRUST_PROXY. */
function addressOf(req: Request): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}
