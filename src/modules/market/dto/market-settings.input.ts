import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_RATE_PER_HOUR } from './post-need.input.js';

@InputType()
export class SetMarketSettingsInput {
  @Field(() => Int, {
    description: `The most any need may offer, or any bid ask, per hour: 1 to ${MAX_RATE_PER_HOUR}. Existing needs and bids keep their rates.`,
  })
  @IsInt()
  @Min(1)
  @Max(MAX_RATE_PER_HOUR)
  maxRatePerHour: number;
}
