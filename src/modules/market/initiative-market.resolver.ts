import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ConnectionArgs } from '../../common/graphql/connection.js';
import { Initiative } from '../initiative/models/initiative.models.js';
import { NeedConnection } from './models/market.models.js';
import { NeedService } from './need.service.js';

/** The market as seen from an initiative: the needs it posted. */
@Resolver(() => Initiative)
export class InitiativeMarketResolver {
  constructor(private readonly needService: NeedService) {}

  @ResolveField(() => NeedConnection, {
    description: 'Needs it posted on the market, newest first.',
  })
  needs(@Parent() initiative: Initiative, @Args() args: ConnectionArgs): Promise<NeedConnection> {
    return this.needService.list({ buyerInitiativeId: initiative.id }, args.first, args.after);
  }
}
