import type { Audience } from './notification-audience.repository.js';
import { NotificationKind as K } from './notification-kind.js';

/**
 * Who hears of an audited change, and what they are told: an audience (by name) and a message,
 * a format() template of the actor's name and the subject's title. When one person
 * is in several audiences of one event they get one notification: the rule listed first.
 */
export interface Rule {
  kind: K;
  /** Who: a named audience of notification-audience.repository.ts. */
  audience: Audience;
  message: string;
  /** Only when the event's payload says so (e.g. a pledge that completed the funding). */
  when?: (payload: Record<string, unknown>) => boolean;
}

export const RULES: Record<string, Rule[]> = {
  'bid.place': [
    {
      kind: K.BID_RECEIVED,
      audience: 'needBuyersOfBid',
      message: '%s bid on your need “%s”',
    },
  ],
  'bid.accept': [
    {
      kind: K.BID_ACCEPTED,
      audience: 'bidder',
      message: '%s accepted your bid on “%s”',
    },
    {
      // The others' pending bids, rejected by this acceptance (in this transaction).
      kind: K.BID_REJECTED,
      audience: 'otherBiddersRejectedNow',
      message: '%s filled “%s” with other bids: yours was not accepted',
      when: (payload) => Number(payload.otherBidsRejected ?? 0) > 0,
    },
  ],
  'bid.reject': [
    {
      kind: K.BID_REJECTED,
      audience: 'bidderOfRejectedBid',
      message: '%s did not accept your bid on “%s”',
    },
  ],
  'need.post': [
    {
      kind: K.NEED_MATCHES_SKILLS,
      // Everyone active who holds every skill the need asks for, at or above its level.
      audience: 'skillMatches',
      message: '%s posted “%s”, which matches your skills',
    },
  ],
  'need.close': [
    {
      kind: K.NEED_CLOSED,
      // Bidders whose bids it decided (withdrawn or rejected now), those working on it, followers.
      audience: 'needBiddersAndFollowers',
      message: '%s closed the need “%s”',
    },
  ],
  'need.edit': [
    {
      kind: K.NEED_EDITED,
      // Bidders still waiting for an answer, and followers: what they bid on has changed.
      audience: 'pendingBiddersAndFollowers',
      message: '%s edited the need “%s”',
    },
  ],
  'timesheet.approve': [
    {
      kind: K.HOURS_APPROVED,
      audience: 'timesheetWorker',
      message: '%s approved your hours on “%s”',
    },
  ],
  'timesheet.autoApprove': [
    {
      kind: K.HOURS_APPROVED,
      audience: 'timesheetWorker',
      message: 'Your hours on “%2$s” were approved: the review window ended',
    },
  ],
  'timesheet.dispute': [
    {
      kind: K.HOURS_DISPUTED,
      audience: 'timesheetWorker',
      message: '%s disputed your hours on “%s”',
    },
  ],
  'dispute.contest': [
    {
      kind: K.DISPUTE_ANSWERED,
      audience: 'disputeBuyers',
      message: '%s contested your dispute on “%s”',
    },
  ],
  'dispute.accept': [
    {
      kind: K.DISPUTE_ANSWERED,
      audience: 'disputeBuyers',
      message: '%s accepted your dispute on “%s”',
    },
  ],
  'dispute.resolve': [
    {
      kind: K.DISPUTE_DECIDED,
      audience: 'disputeWorker',
      message: '%s decided the dispute on “%s”',
    },
    {
      kind: K.DISPUTE_DECIDED,
      audience: 'disputeBuyers',
      message: '%s decided the dispute on “%s”',
    },
  ],
  'idea.endorse': [
    { kind: K.IDEA_ENDORSED, audience: 'ideaAudience', message: '%s endorsed “%s”' },
  ],
  'idea.pledge': [
    {
      kind: K.IDEA_FUNDED,
      audience: 'ideaAudience',
      message: '%s pledged the last credits: “%s” is funded',
      when: (payload) => payload.status === 'FUNDED',
    },
    {
      kind: K.IDEA_PLEDGED,
      audience: 'ideaAudience',
      message: '%s pledged to “%s”',
      when: (payload) => payload.status !== 'FUNDED',
    },
  ],
  'idea.edit': [
    {
      kind: K.IDEA_EDITED,
      // Those who pledged to it, and followers: what they fund has changed.
      audience: 'pledgersAndFollowers',
      message: '%s edited “%s”',
    },
  ],
  'idea.approve': [
    { kind: K.IDEA_APPROVED, audience: 'ideaAudience', message: '%s approved “%s”' },
  ],
  'idea.reject': [{ kind: K.IDEA_REJECTED, audience: 'ideaAudience', message: '%s rejected “%s”' }],
  'initiative.join': [
    { kind: K.INITIATIVE_JOINED, audience: 'initiativeAudience', message: '%s joined “%s”' },
  ],
  'initiative.completeMilestone': [
    {
      kind: K.MILESTONE_DONE,
      audience: 'initiativeAudience',
      message: '%s completed a milestone of “%s”',
    },
  ],
  'initiative.recordMeasurement': [
    {
      kind: K.MEASUREMENT_RECORDED,
      audience: 'initiativeAudience',
      message: '%s recorded a measurement on “%s”',
    },
  ],
  'initiative.complete': [
    { kind: K.INITIATIVE_COMPLETED, audience: 'initiativeAudience', message: '%s completed “%s”' },
  ],
  'initiative.cancel': [
    { kind: K.INITIATIVE_CANCELLED, audience: 'initiativeAudience', message: '%s cancelled “%s”' },
  ],
};

/** A comment: mentions first, then the people of what it is on. */
export const COMMENT_RULES: Record<string, Rule[]> = {
  Idea: [
    {
      kind: K.MENTIONED,
      audience: 'mentionedOnIdea',
      message: '%s mentioned you on “%s”',
    },
    { kind: K.IDEA_COMMENTED, audience: 'ideaAudience', message: '%s commented on “%s”' },
  ],
  Initiative: [
    {
      kind: K.MENTIONED,
      audience: 'mentionedOnInitiative',
      message: '%s mentioned you on “%s”',
    },
    {
      kind: K.INITIATIVE_COMMENTED,
      audience: 'initiativeAudience',
      message: '%s commented on “%s”',
    },
  ],
  Need: [
    {
      kind: K.MENTIONED,
      audience: 'mentionedOnNeed',
      message: '%s mentioned you on “%s”',
    },
    {
      kind: K.NEED_COMMENTED,
      audience: 'needBuyersAndFollowers',
      message: '%s commented on “%s”',
    },
  ],
};

/** The rules for an audited event (none for most). */
export function rulesFor(action: string, subjectType: string): Rule[] {
  if (action === 'comment.add') return COMMENT_RULES[subjectType] ?? [];
  return RULES[action] ?? [];
}
