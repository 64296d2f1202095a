import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { unauthenticated } from '../../common/errors/domain-error.js';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

export interface VerifiedToken {
  employeeId: string;
  expiresAt: Date;
  /** The employee's session version when it was issued (`sv`; 0 for tokens from before it). */
  sessionVersion: number;
}

/**
 * Signed bearer tokens (HS256 JWT): subject = employee id, `sv` = the employee's session
 * version when issued, with expiry, issuer and audience.
 */
@Injectable()
export class TokenService {
  /**
   * Tokens verified already, by their exact text (what a token says never changes; whether it
   * is still valid is its expiry, checked at each use, and its session version, checked against
   * the actor): a request is counted by the rate limits and authenticated with one
   * verification, and a client's next requests with none.
   */
  private readonly verified = new LRUCache<string, VerifiedToken>({ max: 5_000 });

  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async issue(employeeId: string, sessionVersion: number): Promise<IssuedToken> {
    const { ttlSeconds, issuer, audience } = this.config.jwt;
    const token = await this.jwt.signAsync(
      { sv: sessionVersion },
      { subject: employeeId, expiresIn: ttlSeconds, issuer, audience, algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
  }

  /** Whom the token was issued to, and until when; UNAUTHENTICATED if it is not valid now. */
  async verify(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt.getTime() > Date.now()) return known;
      this.verified.delete(token);
    }
    const { issuer, audience } = this.config.jwt;
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown; sv?: unknown }>(
        token,
        {
          issuer,
          audience,
          algorithms: ['HS256'],
        },
      );
      if (typeof payload.sub !== 'string') throw new Error('no subject');
      if (typeof payload.exp !== 'number') throw new Error('no expiry');
      const sessionVersion = payload.sv ?? 0;
      if (!Number.isSafeInteger(sessionVersion)) throw new Error('no session version');
      const verified: VerifiedToken = {
        employeeId: payload.sub,
        expiresAt: new Date(payload.exp * 1000),
        sessionVersion: sessionVersion as number,
      };
      this.verified.set(token, verified);
      return verified;
    } catch {
      throw unauthenticated('The token is invalid or has expired: sign in again');
    }
  }

  /** `Bearer <token>` from an Authorization header (or a graphql-ws connection parameter). */
  static fromAuthorization(header: unknown): string | undefined {
    if (typeof header !== 'string') return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
}
