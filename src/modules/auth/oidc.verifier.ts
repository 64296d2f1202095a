import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { unauthenticated } from '../../common/errors/domain-error.js';

/**
 * Single sign-on: accepts ID or access tokens from the company's identity provider (OIDC_ISSUER),
 * verified against its published keys (JWKS, fetched and cached by jose, refreshed when a new
 * key id appears), and names the employee by the token's e-mail. Off unless configured.
 */
@Injectable()
export class OidcVerifier {
  private readonly keys?: JWTVerifyGetKey;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    if (config.oidc) this.keys = createRemoteJWKSet(new URL(config.oidc.jwksUrl));
  }

  /** Whether the token claims to come from the identity provider (not yet verified). */
  issued(token: string): boolean {
    if (!this.config.oidc) return false;
    try {
      return decodeJwt(token).iss === this.config.oidc.issuer;
    } catch {
      return false;
    }
  }

  /**
   * The verified e-mail the token was issued for, normalised, and when the token expires;
   * UNAUTHENTICATED otherwise.
   */
  async verify(token: string): Promise<{ email: string; expiresAt: Date }> {
    const { oidc } = this.config;
    if (!oidc || !this.keys) throw unauthenticated();
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: oidc.issuer,
        audience: oidc.audience,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        requiredClaims: ['exp', 'email'],
      });
      // Only an e-mail the provider says it verified names an employee: some providers let
      // users set any address, and an unverified claim would let them sign in as anyone.
      if (typeof payload.email !== 'string' || payload.email_verified !== true) {
        throw new Error('no verified e-mail');
      }
      return {
        email: payload.email.trim().toLowerCase(),
        expiresAt: new Date(payload.exp! * 1000),
      };
    } catch {
      throw unauthenticated('The sign-on token is invalid or has expired: sign in again');
    }
  }
}
