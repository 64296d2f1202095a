import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Initiative } from './models/initiative.models.js';

/**
 * Work other modules do, in the same transaction, when an initiative completes or is
 * cancelled, before its unspent budget is refunded (the market closes the initiative's needs,
 * returning their escrow to it). Registered at start-up, so that the initiative module does
 * not depend on the modules built on top of it.
 */
export type InitiativeEndingHook = (
  manager: EntityManager,
  initiative: Initiative,
  actorId: string,
) => Promise<void>;

@Injectable()
export class InitiativeEndingHooks {
  private readonly hooks: InitiativeEndingHook[] = [];

  register(hook: InitiativeEndingHook): void {
    this.hooks.push(hook);
  }

  async run(manager: EntityManager, initiative: Initiative, actorId: string): Promise<void> {
    for (const hook of this.hooks) await hook(manager, initiative, actorId);
  }
}
