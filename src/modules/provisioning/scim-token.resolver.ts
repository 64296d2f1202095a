import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { atMost, MaxItems } from '../../common/graphql/list-limits.js';
import { CreateScimTokenInput, RevokeScimTokenInput } from './dto/scim-token.inputs.js';
import { CreateScimTokenPayload, RevokeScimTokenPayload, ScimToken } from './scim-token.model.js';
import { MAX_LISTED_TOKENS, ScimTokenService } from './scim-token.service.js';

/** Admins manage the bearer tokens identity providers provision people with (/scim/v2). */
@Resolver(() => ScimToken)
export class ScimTokenResolver {
  constructor(private readonly tokens: ScimTokenService) {}

  @Query(() => [ScimToken], {
    description: atMost(MAX_LISTED_TOKENS, 'Admin only. SCIM tokens, newest first.'),
  })
  @MaxItems(MAX_LISTED_TOKENS)
  @AdminOnly()
  scimTokens(): Promise<ScimToken[]> {
    return this.tokens.list();
  }

  @Mutation(() => CreateScimTokenPayload, {
    description:
      'Admin only. A new bearer token for /scim/v2; the secret is in this answer and nowhere else.',
  })
  @AdminOnly()
  createScimToken(
    @Args('input') input: CreateScimTokenInput,
    @CurrentActor() actor: Actor,
  ): Promise<CreateScimTokenPayload> {
    return this.tokens.create(input, actor);
  }

  @Mutation(() => RevokeScimTokenPayload, {
    description: 'Admin only. The token is refused from the next request on.',
  })
  @AdminOnly()
  async revokeScimToken(
    @Args('input') input: RevokeScimTokenInput,
    @CurrentActor() actor: Actor,
  ): Promise<RevokeScimTokenPayload> {
    return { scimToken: await this.tokens.revoke(input, actor) };
  }
}
