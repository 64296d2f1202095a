/**
 * The audiences of notification-rules.ts: each a SELECT of (recipient, subject_type,
 * subject_id, title) from the audited event's subject id ($1) and payload ($2, jsonb), read across
 * the modules' tables (reads only) in the transaction of the change.
 */
/** The buying team's leads (or the buying initiative's owner) of need n. */
const needBuyers = (need: string) => `
  SELECT m.employee_id AS recipient, n.id AS need_id, n.title FROM need n
    JOIN team_membership m ON n.buyer_kind = 'TEAM' AND m.team_id = n.buyer_id AND m.role = 'LEAD'
   WHERE n.id = ${need}
  UNION
  SELECT i.owner_id, n.id, n.title FROM need n
    JOIN initiative i ON n.buyer_kind = 'INITIATIVE' AND i.id = n.buyer_id
   WHERE n.id = ${need}`;

const followers = (type: string, id: string, title: string) => `
  SELECT f.employee_id AS recipient, '${type}' AS subject_type, f.subject_id, ${title} AS title
    FROM follow f WHERE f.subject_type = '${type}' AND f.subject_id = ${id}`;

const ideaAudience = `
  SELECT i.proposer_id AS recipient, 'Idea' AS subject_type, i.id AS subject_id, i.title
    FROM idea i WHERE i.id = $1
  UNION ${followers('Idea', '$1', '(SELECT title FROM idea WHERE id = $1)')}`;

/** The owner, the members now, and the followers of initiative $1. */
const initiativeAudience = `
  SELECT i.owner_id AS recipient, 'Initiative' AS subject_type, i.id AS subject_id, i.title
    FROM initiative i WHERE i.id = $1
  UNION
  SELECT m.employee_id, 'Initiative', i.id, i.title FROM initiative i
    JOIN initiative_member m ON m.initiative_id = i.id AND m.left_at IS NULL
   WHERE i.id = $1
  UNION ${followers('Initiative', '$1', '(SELECT title FROM initiative WHERE id = $1)')}`;

/**
 * People named as @e-mail in the comment ($2->>'commentId'), on whatever it is about, who may
 * see it (`seenBy`, of employee e): a draft's title stays its proposer's.
 */
const mentioned = (type: string, title: string, seenBy = 'true') => `
  SELECT e.id AS recipient, '${type}' AS subject_type, $1::uuid AS subject_id, ${title} AS title
    FROM employee e
   WHERE ${seenBy} AND e.email IN (
     SELECT lower(m[1]) FROM comment c,
            regexp_matches(c.body, '@([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})', 'g') m
      WHERE c.id = ($2->>'commentId')::uuid)`;

const bidNeed = `(SELECT need_id FROM bid WHERE id = $1)`;
const timesheetWorker = `
  SELECT g.employee_id AS recipient, 'Engagement' AS subject_type, g.id AS subject_id, n.title
    FROM timesheet t JOIN engagement g ON g.id = t.engagement_id JOIN need n ON n.id = g.need_id
   WHERE t.id = $1`;
const disputeWorker = `
  SELECT g.employee_id AS recipient, 'Engagement' AS subject_type, g.id AS subject_id, n.title
    FROM timesheet_dispute d JOIN engagement g ON g.id = d.engagement_id
    JOIN need n ON n.id = g.need_id WHERE d.id = $1`;
const disputeBuyers = `
  SELECT b.recipient, 'Engagement' AS subject_type, d.engagement_id AS subject_id, b.title
    FROM timesheet_dispute d JOIN engagement g ON g.id = d.engagement_id,
         LATERAL (${needBuyers('g.need_id')}) b
   WHERE d.id = $1`;

export const AUDIENCES = {
  needBuyersOfBid: `SELECT recipient, 'Need' AS subject_type, need_id AS subject_id, title
                   FROM (${needBuyers(bidNeed)}) b`,
  bidder: `SELECT b.bidder_id AS recipient, 'Need' AS subject_type, n.id AS subject_id, n.title
                   FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = $1`,
  otherBiddersRejectedNow: `SELECT o.bidder_id AS recipient, 'Need' AS subject_type, n.id AS subject_id, n.title
                   FROM bid b JOIN need n ON n.id = b.need_id
                   JOIN bid o ON o.need_id = n.id AND o.status = 'REJECTED' AND o.decided_at = now()
                  WHERE b.id = $1`,
  bidderOfRejectedBid: `SELECT b.bidder_id AS recipient, 'Need' AS subject_type, n.id AS subject_id, n.title
                   FROM bid b JOIN need n ON n.id = b.need_id WHERE b.id = $1`,
  skillMatches: `SELECT e.id AS recipient, 'Need' AS subject_type, n.id AS subject_id, n.title
                   FROM need n JOIN employee e ON e.deactivated_at IS NULL
                  WHERE n.id = $1
                    AND EXISTS (SELECT 1 FROM need_skill s WHERE s.need_id = n.id)
                    AND NOT EXISTS (
                      SELECT 1 FROM need_skill s WHERE s.need_id = n.id AND NOT EXISTS (
                        SELECT 1 FROM employee_skill k
                         WHERE k.employee_id = e.id AND k.skill_id = s.skill_id
                           AND k.level >= s.min_level))`,
  needBiddersAndFollowers: `SELECT b.bidder_id AS recipient, 'Need' AS subject_type, n.id AS subject_id, n.title
                   FROM need n JOIN bid b ON b.need_id = n.id
                    AND (b.decided_at = now() OR b.status = 'ACCEPTED')
                  WHERE n.id = $1
                 UNION ${followers('Need', '$1', '(SELECT title FROM need WHERE id = $1)')}`,
  needBuyersAndFollowers: `SELECT recipient, 'Need' AS subject_type, need_id AS subject_id, title
                   FROM (${needBuyers('$1')}) b
                 UNION ${followers('Need', '$1', '(SELECT title FROM need WHERE id = $1)')}`,
  pendingBiddersAndFollowers: `SELECT b.bidder_id AS recipient, 'Need' AS subject_type, n.id AS subject_id, n.title
                   FROM need n JOIN bid b ON b.need_id = n.id AND b.status = 'PENDING'
                  WHERE n.id = $1
                 UNION ${followers('Need', '$1', '(SELECT title FROM need WHERE id = $1)')}`,
  pledgersAndFollowers: `SELECT p.pledged_by_id AS recipient, 'Idea' AS subject_type, i.id AS subject_id, i.title
                   FROM idea i JOIN pledge p ON p.idea_id = i.id
                  WHERE i.id = $1
                 UNION ${followers('Idea', '$1', '(SELECT title FROM idea WHERE id = $1)')}`,
  ideaAudience,
  initiativeAudience,
  timesheetWorker,
  disputeWorker,
  disputeBuyers,
  mentionedOnIdea: mentioned(
    'Idea',
    '(SELECT title FROM idea WHERE id = $1)',
    // As isVisibleIdea: submitted once, or the proposer's own.
    `EXISTS (SELECT 1 FROM idea i WHERE i.id = $1
              AND (i.submitted_at IS NOT NULL OR i.proposer_id = e.id))`,
  ),
  mentionedOnInitiative: mentioned('Initiative', '(SELECT title FROM initiative WHERE id = $1)'),
  mentionedOnNeed: mentioned('Need', '(SELECT title FROM need WHERE id = $1)'),
};

export type Audience = keyof typeof AUDIENCES;
