import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../../common/auth/actor.js';
import { invalidTransition, notFound } from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { CreateScimTokenInput, RevokeScimTokenInput } from './dto/scim-token.inputs.js';
import type { CreateScimTokenPayload, ScimToken } from './scim-token.model.js';
import { ScimTokenRepository } from './scim-token.repository.js';

/** Recognisable in logs and by secret scanners; 256 random bits follow. */
const TOKEN_PREFIX = 'mbd_scim_';

/** The most tokens scimTokens lists (the newest): revoked ones stay, for the audit's sake. */
export const MAX_LISTED_TOKENS = 100;

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * Provisioning clients' bearer tokens. A token is 256 random bits, so a plain SHA-256 of it is
 * enough to store (nothing to brute-force, unlike a password) and lets a request be checked
 * with one indexed lookup. Creating and revoking are audited.
 */
@Injectable()
export class ScimTokenService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly tokens: ScimTokenRepository,
  ) {}

  async create(
    input: CreateScimTokenInput,
    actor: Pick<Actor, 'id'>,
  ): Promise<CreateScimTokenPayload> {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const scimToken = await this.unitOfWork.run({ actor }, async (tx) => {
      const created = await this.tokens.insert(tx, input.name, sha256(token), actor.id);
      await tx.record({
        action: 'scim.createToken',
        subjectType: 'ScimToken',
        subjectId: created.id,
        payload: { name: created.name },
      });
      return created;
    });
    return { scimToken, token };
  }

  /** Revoked tokens are refused from the next request. INVALID_TRANSITION if revoked already. */
  async revoke(input: RevokeScimTokenInput, actor: Pick<Actor, 'id'>): Promise<ScimToken> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const revoked = await this.tokens.revoke(tx, input.scimTokenId);
      if (!revoked) {
        if (await this.tokens.findById(input.scimTokenId, tx)) {
          throw invalidTransition('The token is revoked already');
        }
        throw notFound('SCIM token', 'scimTokenId');
      }
      await tx.record({
        action: 'scim.revokeToken',
        subjectType: 'ScimToken',
        subjectId: revoked.id,
        payload: { name: revoked.name },
      });
      return revoked;
    });
  }

  list(): Promise<ScimToken[]> {
    return this.tokens.newest(MAX_LISTED_TOKENS);
  }

  /** The live token a request presents; undefined for anything else. */
  async authenticate(presented: string): Promise<ScimToken | undefined> {
    if (!presented.startsWith(TOKEN_PREFIX) || presented.length > 100) return undefined;
    return this.tokens.use(sha256(presented));
  }
}
