import type { Actor } from '../../common/auth/actor.js';
import { MIN_MEMBER_HOURS_PER_WEEK } from './initiative-limits.js';
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

/** A metric's reporter: who records its readings besides the owner. */
export interface ReportedMetric {
  reporterId: string;
}

/** A milestone's assignee: who may complete it besides the owner (none: the owner alone). */
export interface AssignedMilestone {
  assigneeId: string | null;
}

/** Members (the owner included) plan it: they add milestones. */
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

/** Joining is giving time: at least an hour a week (leaving is how one stops). */
export const givesEnoughHours = (hoursPerWeek: number): boolean =>
  hoursPerWeek >= MIN_MEMBER_HOURS_PER_WEEK;

/** A metric's readings are recorded and corrected by its reporter and the initiative's owner. */
export const canReport = (
  actor: Actor,
  initiative: InitiativeRef,
  metric: ReportedMetric,
): boolean => isOwner(actor, initiative) || metric.reporterId === actor.id;

/** The owner completes any milestone; anyone else only the one assigned to them. */
export const canCompleteMilestone = (
  actor: Actor,
  initiative: InitiativeRef,
  milestone: AssignedMilestone,
): boolean => isOwner(actor, initiative) || milestone.assigneeId === actor.id;

/**
 * Metrics and milestones are handed to the owner or to someone giving the initiative time now
 * (a current member): never to someone outside it.
 */
export const mayBeHandedWork = (
  initiative: InitiativeRef,
  employeeId: string,
  isCurrentMember: boolean,
): boolean => employeeId === initiative.ownerId || isCurrentMember;
