import type { Actor } from '../../common/auth/actor.js';

export interface InitiativeRef {
  id: string;
  ownerId: string;
  sponsorTeamId: string;
}

/** The owner steers it: metrics, completion, buying on the market with its budget. */
export const isOwner = (actor: Actor, initiative: InitiativeRef): boolean =>
  initiative.ownerId === actor.id;

/** Members (the owner included) work on it: milestones and measurements. */
export const isParticipant = (actor: Actor, initiative: InitiativeRef): boolean =>
  isOwner(actor, initiative) || actor.memberOfInitiatives.has(initiative.id);

/** The sponsor team's leads may stop an initiative their team approved. */
export const canCancel = (actor: Actor, initiative: InitiativeRef): boolean =>
  isOwner(actor, initiative) || actor.leadOf.has(initiative.sponsorTeamId);
