import { Args, Info, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ConnectionArgs, MAX_PAGE_SIZE } from '../../common/graphql/connection.js';
import { MaxItems, pagesItself } from '../../common/graphql/list-limits.js';
import { InitiativeOutcomesService } from './initiative-outcomes.service.js';
import { InitiativeOutcomeConnection, InitiativeOutcomes } from './models/dashboard.models.js';

/** The page of an initiativeOutcomes answer: the connection pages itself, as every list does. */
@Resolver(() => InitiativeOutcomes)
export class InitiativeOutcomesResolver {
  constructor(private readonly outcomes: InitiativeOutcomesService) {}

  // Decorators: the field takes arguments (validated) and must see how it was selected.
  @ResolveField(() => InitiativeOutcomeConnection, {
    description:
      'The initiatives the filter selects, in the order sort asks for. Selected without first or after, they are paged by the deprecated initiativeOutcomes(first, after) instead.',
  })
  // Priced by initiativeOutcomes' first where it is selected without paging of its own.
  @MaxItems(MAX_PAGE_SIZE, { sizeFromParentFirst: true })
  initiatives(
    @Parent() outcomes: InitiativeOutcomes,
    @Args() page: ConnectionArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<InitiativeOutcomeConnection> {
    const { first, after } = info.fieldNodes.every(pagesItself) ? page : outcomes.deprecatedPage;
    return this.outcomes.page(
      outcomes.filter,
      outcomes.sort,
      first,
      after,
      async () => outcomes.totals.initiativeCount,
    );
  }
}
