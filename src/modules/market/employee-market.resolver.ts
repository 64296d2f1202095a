import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../common/auth/actor.js';
import { forbidden } from '../../common/errors/domain-error.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { Employee } from '../employee/employee.model.js';
import { BidService } from './bid.service.js';
import { BidsArgs, EngagementsArgs } from './dto/needs.args.js';
import { EngagementService } from './engagement.service.js';
import { maySeeMarketActivityOf } from './market-policy.js';
import { BidConnection, EngagementConnection } from './models/market.models.js';

/** A person's own market activity: visible to that person only. */
@Resolver(() => Employee)
export class EmployeeMarketResolver {
  constructor(
    private readonly bidService: BidService,
    private readonly engagementService: EngagementService,
  ) {}

  @ResolveField(() => BidConnection, { description: 'Newest first. Only on yourself.' })
  bids(
    @Parent() employee: Employee,
    @Args() args: BidsArgs,
    @CurrentActor() actor: Actor,
  ): Promise<BidConnection> {
    if (!maySeeMarketActivityOf(actor, employee.id))
      throw forbidden('Bids are private to the bidder');
    return this.bidService.bidsOf(employee.id, args.first, args.after, args.status);
  }

  @ResolveField(() => EngagementConnection, { description: 'Newest first. Only on yourself.' })
  engagements(
    @Parent() employee: Employee,
    @Args() args: EngagementsArgs,
    @CurrentActor() actor: Actor,
  ): Promise<EngagementConnection> {
    if (!maySeeMarketActivityOf(actor, employee.id))
      throw forbidden('Engagements are private to the employee');
    return this.engagementService.engagementsOf(employee.id, args.first, args.after, args.status);
  }
}
