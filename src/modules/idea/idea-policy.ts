import type { Actor } from '../../common/auth/actor.js';
import { IdeaStatus } from './idea.enums.js';

/** What the idea rules look at. */
export interface IdeaRef {
  proposerId: string;
  sponsorTeamId: string;
  submittedAt: Date | null;
  status: IdeaStatus;
}

/**
 * An idea is open to everyone once submitted, whatever becomes of it; until then it is its
 * proposer's alone: a draft, and a draft withdrawn without ever being submitted (its status
 * alone would not tell, hence submitted_at). Lists apply the same rule in SQL
 * (IdeaRepository, from the actor's id).
 */
export const isVisibleIdea = (
  idea: Pick<IdeaRef, 'submittedAt' | 'proposerId'>,
  actor: Pick<Actor, 'id'>,
): boolean => idea.submittedAt !== null || idea.proposerId === actor.id;

/** The proposer submits and withdraws an idea, and may neither endorse nor approve it. */
export const isProposer = (actor: Pick<Actor, 'id'>, idea: Pick<IdeaRef, 'proposerId'>): boolean =>
  idea.proposerId === actor.id;

/** The sponsor team's leads decide on an idea: approve it or reject it. */
export const leadsSponsorTeam = (
  actor: Pick<Actor, 'leadOf'>,
  idea: Pick<IdeaRef, 'sponsorTeamId'>,
): boolean => actor.leadOf.has(idea.sponsorTeamId);

/** Endorsements are taken from submission on, approval included, but not once it is closed. */
export const takesEndorsements = (idea: Pick<IdeaRef, 'status'>): boolean =>
  [IdeaStatus.SUBMITTED, IdeaStatus.FUNDED, IdeaStatus.APPROVED].includes(idea.status);

/** Only an idea out for funding (submitted, or funded and awaiting approval) can be rejected. */
export const canBeRejected = (idea: Pick<IdeaRef, 'status'>): boolean =>
  idea.status === IdeaStatus.SUBMITTED || idea.status === IdeaStatus.FUNDED;

/** The proposer may take an idea back at any point before a decision, a draft included. */
export const canBeWithdrawn = (idea: Pick<IdeaRef, 'status'>): boolean =>
  [IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.FUNDED].includes(idea.status);

/** The proposer edits an idea's text and skills until it is funded (pledgers are told). */
export const isEditable = (idea: Pick<IdeaRef, 'status'>): boolean =>
  idea.status === IdeaStatus.DRAFT || idea.status === IdeaStatus.SUBMITTED;
