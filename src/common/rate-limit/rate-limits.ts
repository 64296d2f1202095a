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
import ipaddr from 'ipaddr.js';
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
 * signed-in employee (one-minute windows); failed sign-ins per account, per account from one
 * address (each a growing wait) and per address (an hourly allowance). In Redis when REDIS_URL
 * is set, so that every instance shares them (in memory if Redis fails), else in this
 * instance's memory. Callers say who is counted: a verified subject, never a token's claim.
 */
@Injectable()
export class RateLimits implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis?: Redis;
  private readonly address: RateLimiterAbstract;
  private readonly employee: RateLimiterAbstract;
  /** Sign-in attempts since the last success: an account's, and an account's from one address. */
  private readonly attempts: RateLimiterAbstract;
  /** One attempt per wait once the free failures are used. */
  private readonly gate: RateLimiterAbstract;
  private readonly addressFailures: RateLimiterAbstract;

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
    this.attempts = limiter('sign-in:attempts', Number.MAX_SAFE_INTEGER, DAY);
    this.gate = limiter('sign-in:gate', 1);
    this.addressFailures = limiter('sign-in:address', rateLimit.signInFailuresPerAddress, HOUR);
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
      // Health probes are exempt, as GETs only: any other method would be a way around.
      if (req.path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) return next();
      this.countAddress(addressOf(req)).then(
        () => next(),
        (error: unknown) => {
          if (!(error instanceof DomainError)) return next(error);
          const seconds = error.details.retryAfterSeconds ?? MINUTE;
          const body = {
            message: error.message,
            extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds: seconds },
          };
          res.status(429).set('retry-after', String(seconds));
          if (req.path.startsWith('/scim/')) {
            // RFC 7644 §3.12's error body, which identity providers read.
            res.type('application/scim+json').send(
              JSON.stringify({
                schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
                status: '429',
                detail: error.message,
              }),
            );
            return;
          }
          res.json(
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
    return this.consume(this.address, clientKey(address));
  }

  /**
   * `calls` by the employee a verified token names (its subject: an employee id, or an
   * identity provider's verified e-mail), never by what an unverified token claims.
   */
  async countEmployee(subject: string, calls = 1): Promise<void> {
    await this.consume(this.employee, subject, calls);
  }

  /**
   * Counts a sign-in attempt before any password is checked, refusing it when the address has
   * used up its failures or the account must wait. Two tiers: from one address, an account's
   * first `signInFailuresPerAccountAddress` attempts since its last success are free, then one
   * attempt per wait, doubling with every attempt (knocking makes that address wait longer,
   * nobody else); across addresses, the first `signInFailuresPerAccount` are free, then one
   * attempt per doubling wait for everyone (only attempts that reach a password count there, so
   * nobody can keep an account shut by knocking). Up to 15 minutes. Counting first keeps
   * concurrent attempts honest; `signInSucceeded` takes the counts back.
   */
  async countSignIn(account: string, address: string): Promise<void> {
    const client = clientKey(address);
    const { signInFailuresPerAccount, signInFailuresPerAccountAddress } = this.config.rateLimit;
    await this.consume(this.addressFailures, client);
    await this.throttle(`${account}|${client}`, signInFailuresPerAccountAddress, true);
    await this.throttle(account, signInFailuresPerAccount, false);
  }

  /** A right password: it was never a failure, and the account starts afresh. */
  async signInSucceeded(account: string, address: string): Promise<void> {
    const client = clientKey(address);
    await Promise.all([
      this.addressFailures.reward(client, 1),
      ...[`${account}|${client}`, account].flatMap((key) => [
        this.attempts.delete(key),
        this.gate.delete(key),
      ]),
    ]);
  }

  /** One attempt more under `key`: free up to `free`, then one per doubling wait. */
  private async throttle(key: string, free: number, knockingCounts: boolean): Promise<void> {
    const { consumedPoints: attempts } = await this.attempts.penalty(key);
    if (attempts < free) return;
    const wait = Math.min(2 ** (attempts - free), MAX_SIGN_IN_WAIT_SECONDS);
    try {
      await this.gate.consume(key, 1, { customDuration: wait });
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      if (knockingCounts) {
        // Knocking while waiting makes the knocker wait longer, from now.
        await this.gate.block(key, wait);
        throw refusedFor(wait);
      }
      await this.attempts.reward(key, 1);
      throw refusedFor(Math.ceil(refusal.msBeforeNext / 1000));
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

/**
 * Who a client address counts as: an IPv4 address itself (an IPv4-mapped IPv6 one too), an
 * IPv6 address by its /64, which one household or machine usually holds whole.
 */
export function clientKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  return `${v6.toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}
