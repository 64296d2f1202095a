import { invalidTransition } from '../../common/errors/domain-error.js';
import { isActive, type InitiativeState } from './initiative-policy.js';

/** INVALID_TRANSITION, naming the status, unless the initiative is ACTIVE. */
export function assertActive(initiative: InitiativeState): void {
  if (!isActive(initiative)) throw invalidTransition(`The initiative is ${initiative.status}`);
}
