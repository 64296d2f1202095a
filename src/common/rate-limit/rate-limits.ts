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
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The longest an account waits between sign-in attempts, however many have failed. */
export const MAX_SIGN_IN_WAIT_SECONDS = 15 * MINUTE;

/**
 * The counters behind the rate limits: every request per client address and calls per
 * signed-in employee (one-minute windows), and failed sign-ins per account (a growing wait)
 * and per address (an hourly allowance). In Redis when REDIS_URL is set, so that every instance
 * shares them (in memory if Redis fails), else in this instance's memory.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis?: Redis;
  private readonly address: RateLimiterAbstract;
  private readonly employee: RateLimiterAbstract;
  /** An account's sign-in attempts since its last success (a day at most). */
  private readonly accountAttempts: RateLimiterAbstract;
  /** One attempt per wait once an account has used its free failures. */
  private readonly accountGate: RateLimiterAbstract;
  private readonly addressFailures: RateLimiterAbstract;
  /** Imported once: given bytes, jose would import the key again on every verification. */
  private readonly secret: KeyObject;
  /** Each request's verified key, so that it is verified once however it is counted. */
  private readonly keys = new WeakMap<object, Promise<string | undefined>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    if (config.redisUrl) {
      this.redis = new Redis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
      });
      this.redis.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    }
    const limiter = (keyPrefix: string, points: number, duration = MINUTE): RateLimiterAbstract => {
      const options = { keyPrefix: `mbd:rate:${keyPrefix}`, points, duration };
      if (!this.redis) return new RateLimiterMemory(options);
      return new RateLimiterRedis({
        ...options,
        storeClient: this.redis,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    };
    const { rateLimit } = config;
    this.address = limiter('address', rateLimit.perIp);
    this.employee = limiter('employee', rateLimit.perUser);
    this.accountAttempts = limiter('sign-in:account', Number.MAX_SAFE_INTEGER, DAY);
    this.accountGate = limiter('sign-in:account-gate', 1);
    this.addressFailures = limiter('sign-in:address', rateLimit.signInFailuresPerAddress, HOUR);
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
      this.countAddress(addressOf(req)).then(
        () => next(),
        (error: unknown) => {
          if (!(error instanceof DomainError)) return next(error);
          const seconds = error.details.retryAfterSeconds ?? MINUTE;
          const body = {
            message: error.message,
            extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: seconds },
          };
          res
            .status(429)
            .set('retry-after', String(seconds))
            .json(
              req.path.startsWith('/graphql')
                ? { errors: [body] }
                : {
                    error: {
                      code: ErrorCode.RATE_LIMITED,
                      message: error.message,
                      retryAfterSeconds: seconds,
                    },
                  },
            );
        },
      );
    };
  }

  /** One request (or WebSocket message) from a client address. */
  countAddress(address: string): Promise<void> {
    return this.consume(this.address, address);
  }

  /**
   * Counts `calls` against the employee the bearer token was verifiably issued to (nothing
   * for a token that does not verify: the access guard refuses it, the address counted it).
   * `request` is what the token came with (an HTTP request, a WebSocket connection), so that
   * one request counted several times verifies its token once.
   */
  async countEmployee(
    request: object,
    authorization: string | undefined,
    calls = 1,
  ): Promise<void> {
    let key = this.keys.get(request);
    if (!key) {
      key = this.employeeKey(authorization);
      this.keys.set(request, key);
    }
    const employee = await key;
    if (employee) await this.consume(this.employee, employee, calls);
  }

  /**
   * Counts a sign-in attempt before any password is checked, refusing it when the address has
   * used up its failures or the account must wait: an account's first
   * `signInFailuresPerAccount` attempts since its last success are free; after that, one
   * attempt per wait, and the wait doubles with every attempt (up to 15 minutes), so spraying
   * one account from many addresses gains nothing. Counting first keeps concurrent attempts
   * honest; `signInSucceeded` takes the counts back.
   */
  async countSignIn(account: string, address: string): Promise<void> {
    await this.consume(this.addressFailures, address);
    const { consumedPoints: attempts } = await this.accountAttempts.penalty(account);
    const free = this.config.rateLimit.signInFailuresPerAccount;
    if (attempts < free) return;
    const wait = Math.min(2 ** (attempts - free), MAX_SIGN_IN_WAIT_SECONDS);
    try {
      await this.accountGate.consume(account, 1, { customDuration: wait });
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      // Knocking while the account waits makes it wait longer, from now.
      await this.accountGate.block(account, wait);
      throw refusedFor(wait);
    }
  }

  /** A right password: it was never a failure, and the account starts afresh. */
  async signInSucceeded(account: string, address: string): Promise<void> {
    await Promise.all([
      this.addressFailures.reward(address, 1),
      this.accountAttempts.delete(account),
      this.accountGate.delete(account),
    ]);
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

  private async consume(limiter: RateLimiterAbstract, key: string, points = 1): Promise<void> {
    try {
      await limiter.consume(key, points);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw refusedFor(Math.ceil(refusal.msBeforeNext / 1000));
    }
  }
}

const refusedFor = (seconds: number): DomainError => rateLimited(Math.max(1, seconds));

/** The client's address: the connection's, or the proxy's view of it with TRUST_PROXY. */
export function addressOf(req: Request): string {
  return req.ip ?? req.socket?.remoteAddress ?? 'unknown';
}
