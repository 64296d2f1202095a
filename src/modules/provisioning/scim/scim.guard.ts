import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ScimTokenService } from '../scim-token.service.js';
import type { ScimToken } from '../scim-token.model.js';
import { ScimError } from './scim-error.js';

/** A /scim/v2 request once its bearer token was found live: the client it comes from. */
export type ScimRequest = Request & { scimClient: ScimToken };

/**
 * /scim/v2 takes only a SCIM bearer token (createScimToken), never an employee's token: a
 * provisioning client acts for the organisation, not for a person. 401 with a SCIM error body
 * for anything else, revoked tokens included.
 */
@Injectable()
export class ScimGuard implements CanActivate {
  constructor(private readonly tokens: ScimTokenService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ScimRequest>();
    const header = request.headers.authorization;
    const presented =
      typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    const client = presented ? await this.tokens.authenticate(presented) : undefined;
    if (!client) {
      throw new ScimError(401, 'A live SCIM bearer token is required (see createScimToken)');
    }
    request.scimClient = client;
    return true;
  }
}
