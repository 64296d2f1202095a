import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { badInput } from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import type { Db } from '../../database/sql.js';
import type { SetMarketSettingsInput } from './dto/market-settings.input.js';
import { MarketSettingsRepository } from './market-settings.repository.js';
import { exceedsMarketMaximum } from './market-policy.js';
import type { MarketSettings } from './models/market-settings.model.js';

/** The market's organisation-wide settings: the maximum rate per hour. */
@Injectable()
export class MarketSettingsService {
  constructor(
    private readonly settings: MarketSettingsRepository,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  current(): Promise<MarketSettings> {
    return this.settings.current();
  }

  /** Admins only (the resolver's access rule). Existing needs and bids keep their rates. */
  async set(input: SetMarketSettingsInput, actor: Actor): Promise<MarketSettings> {
    return this.unitOfWork.run({ actor }, async (tx) => {
      const before = await this.settings.lock(tx);
      const after = await this.settings.setMaxRatePerHour(tx, input.maxRatePerHour);
      await tx.record({
        action: 'market.settings',
        subjectType: 'MarketSettings',
        subjectId: null,
        payload: { maxRatePerHour: { from: before.maxRatePerHour, to: after.maxRatePerHour } },
      });
      return after;
    });
  }

  /** BAD_USER_INPUT on `field` when the rate passes the market's maximum. */
  async refuseAboveMaximum(db: Db, ratePerHour: number, field = 'ratePerHour'): Promise<void> {
    const settings = await this.settings.current(db);
    if (exceedsMarketMaximum(ratePerHour, settings)) {
      throw badInput(
        field,
        `${field}: the market's maximum is ${settings.maxRatePerHour} credits an hour; ${ratePerHour} is above it`,
      );
    }
  }
}
