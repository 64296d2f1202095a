import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
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
}

/** Signed bearer tokens (HS256 JWT): subject = employee id, with expiry, issuer and audience. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async issue(employeeId: string): Promise<IssuedToken> {
    const { ttlSeconds, issuer, audience } = this.config.jwt;
    const token = await this.jwt.signAsync(
      {},
      { subject: employeeId, expiresIn: ttlSeconds, issuer, audience, algorithm: 'HS256' },
    );
    return { token, expiresAt: new Date(Date.now() + ttlSeconds * 1000) };
  }

  /** Whom the token was issued to, and until when; UNAUTHENTICATED if it is not valid now. */
  async verify(token: string): Promise<VerifiedToken> {
    const { issuer, audience } = this.config.jwt;
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; exp?: unknown }>(token, {
        issuer,
        audience,
        algorithms: ['HS256'],
      });
      if (typeof payload.sub !== 'string') throw new Error('no subject');
      if (typeof payload.exp !== 'number') throw new Error('no expiry');
      return { employeeId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
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
