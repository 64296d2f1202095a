import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AdminOnly } from '../../common/auth/access.js';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentActor } from '../../common/graphql/decorators.js';
import { SetMarketSettingsInput } from './dto/market-settings.input.js';
import { MarketSettingsService } from './market-settings.service.js';
import { MarketSettings, SetMarketSettingsPayload } from './models/market-settings.model.js';

@Resolver(() => MarketSettings)
export class MarketSettingsResolver {
  constructor(private readonly settingsService: MarketSettingsService) {}

  @Query(() => MarketSettings, { description: "The market's organisation-wide rules." })
  marketSettings(): Promise<MarketSettings> {
    return this.settingsService.current();
  }

  @Mutation(() => SetMarketSettingsPayload, {
    description:
      "Admin only. Sets the market's maximum rate per hour; needs and bids already placed keep their rates.",
  })
  @AdminOnly()
  async setMarketSettings(
    @Args('input') input: SetMarketSettingsInput,
    @CurrentActor() actor: Actor,
  ): Promise<SetMarketSettingsPayload> {
    return { marketSettings: await this.settingsService.set(input, actor) };
  }
}
