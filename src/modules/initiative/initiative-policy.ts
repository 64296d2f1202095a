import type { Actor } from '../../common/auth/actor.js';
import { InitiativeStatus } from './initiative.enums.js';

export interface InitiativeRef {
  id: string;
  ownerId: string;
  sponsorTeamId: string;
}

export interface InitiativeState {
  status: InitiativeStatus;
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

/** Only the owner completes it; the owner or the sponsor team's leads cancel it. */
export const canFinish = (
  actor: Actor,
  initiative: InitiativeRef,
  outcome: InitiativeStatus,
): boolean =>
  outcome === InitiativeStatus.COMPLETED
    ? isOwner(actor, initiative)
    : canCancel(actor, initiative);

/** People join, plan, define metrics, buy and finish only while it is ACTIVE. */
export const isActive = (initiative: InitiativeState): boolean =>
  initiative.status === InitiativeStatus.ACTIVE;

/** Outcomes keep being measured after completion, not after cancellation. */
export const acceptsMeasurements = (initiative: InitiativeState): boolean =>
  initiative.status !== InitiativeStatus.CANCELLED;
