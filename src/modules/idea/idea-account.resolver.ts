import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor, Loaders } from '../../common/graphql/decorators.js';
import type { RequestLoaders } from '../../common/graphql/request-loaders.js';
import { AccountKind } from '../ledger/ledger.enums.js';
import { LedgerAccount } from '../ledger/models/ledger.models.js';
import { isVisibleIdea } from './idea-policy.js';
import { IdeaRepository } from './idea.repository.js';
import { Idea } from './models/idea.models.js';

/** An IDEA_ESCROW account's idea. */
@Resolver(() => LedgerAccount)
export class IdeaAccountResolver {
  constructor(private readonly ideas: IdeaRepository) {}

  // Decorators: whether the idea shows depends on the actor (drafts are their proposer's).
  @ResolveField(() => Idea, {
    nullable: true,
    description:
      'The idea, for an IDEA_ESCROW account; null too for a draft of someone else (drafts are their proposer’s only).',
  })
  async idea(
    @Parent() account: LedgerAccount,
    @CurrentActor() actor: Actor,
    @Loaders() loaders: RequestLoaders,
  ): Promise<Idea | null> {
    if (account.kind !== AccountKind.IDEA_ESCROW || !account.ownerId) return null;
    const idea = await loaders.get(this.ideas.byId).load(account.ownerId);
    return idea && isVisibleIdea(idea, actor) ? idea : null;
  }
}
