import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "The market's organisation-wide rules, set by admins." })
export class MarketSettings {
  @Field(() => Int, {
    description:
      'The most any need may offer, or any bid ask, per hour (500 until an admin changes it; ' +
      'at most 10 000). Changing it leaves existing needs and bids as they are.',
  })
  maxRatePerHour: number;

  @Field({ description: 'When an admin last changed them (or when they were created).' })
  updatedAt: Date;
}

@ObjectType()
export class SetMarketSettingsPayload {
  @Field(() => MarketSettings)
  marketSettings: MarketSettings;
}
