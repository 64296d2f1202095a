import { Injectable } from '@nestjs/common';
import type { Tx } from '../../common/unit-of-work/unit-of-work.js';
import type { Initiative } from './models/initiative.models.js';

/**
 * Work other modules do, in the same transaction, when an initiative completes or is
 * cancelled, before its unspent budget is refunded (the market closes the initiative's needs,
 * returning their escrow to it). Registered at start-up, so that the initiative module does
 * not depend on the modules built on top of it.
 */
export type InitiativeEndingHook = (tx: Tx, initiative: Initiative) => Promise<void>;

@Injectable()
export class InitiativeEndingHooks {
  private readonly hooks: InitiativeEndingHook[] = [];

  register(hook: InitiativeEndingHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook in the ending's unit of work (their audit events are its actor's). */
  async run(tx: Tx, initiative: Initiative): Promise<void> {
    for (const hook of this.hooks) await hook(tx, initiative);
  }
}
