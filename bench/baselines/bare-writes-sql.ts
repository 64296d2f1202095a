/**
 * The bare-writes baseline's SQL: one PL/pgSQL function per mutation of the write mix, created
 * in its own schema (`bare_writes`, never in the service's migrations) when the baseline starts.
 * Each function is one round trip and one transaction (the statement's own): it admits the
 * actor, claims the idempotency key, takes the row locks in the service's order, checks the
 * rules, writes what the service writes (rows, ledger transfers and their weekly flow summary,
 * the audit event, the inbox notifications, the remembered outcome) and returns the answer as
 * jsonb. A refusal raises SQLSTATE P0001 with the GraphQL error code in DETAIL and the input
 * field in HINT; a constraint violation (the backstops the service relies on too) aborts the
 * call, and the server maps it as the service does. See bare-writes.ts for what is enforced.
 */

/** The functions, in dependency order; run as one script (idempotent: CREATE OR REPLACE). */
export const BARE_WRITES_SQL = /* sql */ `
CREATE SCHEMA IF NOT EXISTS bare_writes;

-- A refusal: the message for the client, the GraphQL code and the input field it is about.
CREATE OR REPLACE FUNCTION bare_writes.refuse(p_code text, p_message text, p_field text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = p_message, DETAIL = p_code,
                        HINT = coalesce(p_field, '');
END $fn$;

-- The ActorGate and the session check in one read: an active employee whose session version
-- is the token's, their row held FOR KEY SHARE until the transaction ends (a deactivation's
-- FOR UPDATE waits for it). Returns their name (for notifications) and home team (payee).
CREATE OR REPLACE FUNCTION bare_writes.admit(p_actor uuid, p_session_version int,
                                             OUT actor_name text, OUT actor_home_team uuid)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_ok boolean;
BEGIN
  SELECT e.name, e.home_team_id, e.deactivated_at IS NULL AND e.session_version = p_session_version
    INTO actor_name, actor_home_team, v_ok
    FROM public.employee e WHERE e.id = p_actor FOR KEY SHARE;
  IF v_ok IS NULL THEN
    PERFORM bare_writes.refuse('UNAUTHENTICATED', 'The token belongs to no current employee');
  ELSIF NOT v_ok THEN
    PERFORM bare_writes.refuse('UNAUTHENTICATED',
      'The session has ended (signed out everywhere, or a new password or role): sign in again');
  END IF;
END $fn$;

-- The idempotency claim (IdempotencyKeyRepository.claim): NULL when this call runs the work,
-- else what the first call with the key remembered (CONFLICT for other arguments). A concurrent
-- call with the same key waits on the primary key until the first one ends.
CREATE OR REPLACE FUNCTION bare_writes.claim(p_actor uuid, p_key text, p_operation text, p_hash text)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  v_first record;
BEGIN
  IF p_key IS NULL THEN RETURN NULL; END IF;
  INSERT INTO public.idempotency_key (actor_id, key, operation, request_hash, response)
  VALUES (p_actor, p_key, p_operation, p_hash, 'null'::jsonb)
  ON CONFLICT (actor_id, key) DO NOTHING;
  IF FOUND THEN RETURN NULL; END IF;
  SELECT operation, request_hash, response INTO v_first
    FROM public.idempotency_key WHERE actor_id = p_actor AND key = p_key;
  IF v_first.operation <> p_operation OR v_first.request_hash <> p_hash THEN
    PERFORM bare_writes.refuse('CONFLICT',
      'This idempotencyKey was already used for a different request', 'idempotencyKey');
  END IF;
  RETURN v_first.response;
END $fn$;

-- LedgerService.transfer: both balances in one statement, rows locked in id order (the
-- account_balance_non_negative CHECK refuses an overdraft), then the transfer and its weekly
-- flow summary in one statement. Returns the transfer's id.
CREATE OR REPLACE FUNCTION bare_writes.transfer(p_from uuid, p_to uuid, p_amount bigint,
                                                p_kind public.transfer_kind, p_key text, p_memo text)
RETURNS uuid LANGUAGE plpgsql AS $fn$
DECLARE
  v_moved int;
  v_id uuid;
BEGIN
  WITH locked AS (
    SELECT id FROM public.account WHERE id IN (p_from, p_to) ORDER BY id FOR UPDATE
  )
  UPDATE public.account a
     SET balance = a.balance + CASE WHEN a.id = p_from THEN -p_amount ELSE p_amount END
    FROM locked WHERE a.id = locked.id;
  GET DIAGNOSTICS v_moved = ROW_COUNT;
  IF v_moved <> 2 THEN PERFORM bare_writes.refuse('NOT_FOUND', 'account not found'); END IF;
  WITH inserted AS (
    INSERT INTO public.transfer (from_account_id, to_account_id, amount, kind, idempotency_key, memo)
    VALUES (p_from, p_to, p_amount, p_kind, p_key, p_memo)
    RETURNING id, from_account_id, to_account_id, amount, kind, at
  ), flow AS (
    INSERT INTO public.account_flow (account_id, week, kind, amount_in, amount_out)
    SELECT side.account_id, date_trunc('week', t.at AT TIME ZONE 'UTC')::date, t.kind,
           side.amount_in, side.amount_out
      FROM inserted t
     CROSS JOIN LATERAL (VALUES (t.from_account_id, 0::bigint, t.amount),
                                (t.to_account_id, t.amount, 0::bigint))
           AS side(account_id, amount_in, amount_out)
    ON CONFLICT (account_id, week, kind) DO UPDATE
      SET amount_in = account_flow.amount_in + EXCLUDED.amount_in,
          amount_out = account_flow.amount_out + EXCLUDED.amount_out
  )
  SELECT id INTO v_id FROM inserted;
  RETURN v_id;
END $fn$;

-- Inbox rows for one audited event (NotificationRepository.insertFor): each candidate once (its
-- first rule), never the actor, never a deactivated person, never a kind they turned OFF.
-- p_candidates: (recipient, priority, kind, template, subject_type, subject_id, title).
CREATE OR REPLACE FUNCTION bare_writes.notify(p_actor uuid, p_actor_name text, p_candidates jsonb)
RETURNS void LANGUAGE sql AS $fn$
  INSERT INTO public.notification (recipient_id, kind, subject_type, subject_id, actor_id, message)
  SELECT ch.recipient, ch.kind, ch.subject_type, ch.subject_id, p_actor,
         left(format(ch.template, coalesce(p_actor_name, 'The service'), coalesce(ch.title, '')), 500)
    FROM (SELECT DISTINCT ON (c.recipient) c.*
            FROM jsonb_to_recordset(p_candidates)
                 AS c(recipient uuid, priority int, kind text, template text, subject_type text,
                      subject_id uuid, title text)
           WHERE c.recipient IS NOT NULL ORDER BY c.recipient, c.priority) ch
    JOIN public.employee e ON e.id = ch.recipient AND e.deactivated_at IS NULL
   WHERE ch.recipient IS DISTINCT FROM p_actor
     AND NOT EXISTS (SELECT 1 FROM public.notification_preference p
                      WHERE p.employee_id = ch.recipient AND p.kind = ch.kind AND p.channel = 'OFF')
$fn$;

-- actsForBuyer: a lead of the buying team, or the owner of the buying initiative.
CREATE OR REPLACE FUNCTION bare_writes.acts_for_buyer(p_actor uuid, p_kind public.need_buyer_kind, p_buyer uuid)
RETURNS boolean LANGUAGE sql STABLE AS $fn$
  SELECT CASE p_kind
    WHEN 'TEAM' THEN EXISTS (SELECT 1 FROM public.team_membership m
                              WHERE m.employee_id = p_actor AND m.team_id = p_buyer AND m.role = 'LEAD')
    ELSE EXISTS (SELECT 1 FROM public.initiative i WHERE i.id = p_buyer AND i.owner_id = p_actor)
  END
$fn$;

-- isOnBuyingSide: a member of the buying team, or the owner or an active member of the buying
-- initiative.
CREATE OR REPLACE FUNCTION bare_writes.on_buying_side(p_actor uuid, p_kind public.need_buyer_kind, p_buyer uuid)
RETURNS boolean LANGUAGE sql STABLE AS $fn$
  SELECT CASE p_kind
    WHEN 'TEAM' THEN EXISTS (SELECT 1 FROM public.team_membership m
                              WHERE m.employee_id = p_actor AND m.team_id = p_buyer)
    ELSE EXISTS (SELECT 1 FROM public.initiative i WHERE i.id = p_buyer AND i.owner_id = p_actor)
      OR EXISTS (SELECT 1 FROM public.initiative_member m
                  WHERE m.initiative_id = p_buyer AND m.employee_id = p_actor AND m.left_at IS NULL)
  END
$fn$;

-- placeBid (BidService.place).
CREATE OR REPLACE FUNCTION bare_writes.place_bid(p_actor uuid, p_session_version int, p_need uuid,
  p_hours int, p_rate int, p_message text, p_skills text[], p_skill_names text[])
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a record;
  n record;
  v_max int;
  v_spare int;
  v_skill_ids uuid[] := '{}';
  v_missing int;
  v_bid uuid;
BEGIN
  SELECT * INTO a FROM bare_writes.admit(p_actor, p_session_version);
  -- SHARE: the need cannot be closed or change its terms while the bid goes in.
  SELECT n0.id, n0.buyer_kind, n0.buyer_id, n0.status, n0.rate_per_hour, n0.hours_per_week,
         n0.accepted_hours_per_week, n0.title
    INTO n FROM public.need n0 WHERE n0.id = p_need FOR SHARE;
  IF NOT FOUND THEN PERFORM bare_writes.refuse('NOT_FOUND', 'Need not found', 'needId'); END IF;
  IF n.status <> 'OPEN' THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION', format('The need is %s: it takes no bids', n.status));
  END IF;
  IF bare_writes.on_buying_side(p_actor, n.buyer_kind, n.buyer_id) THEN
    PERFORM bare_writes.refuse('FORBIDDEN', 'You cannot bid on your own team''s need');
  END IF;
  IF p_rate > n.rate_per_hour THEN
    PERFORM bare_writes.refuse('BAD_USER_INPUT', format(
      'ratePerHour: the need pays at most %s credits an hour; you asked %s', n.rate_per_hour, p_rate),
      'ratePerHour');
  END IF;
  SELECT max_rate_per_hour INTO v_max FROM public.market_settings;
  IF p_rate > v_max THEN
    PERFORM bare_writes.refuse('BAD_USER_INPUT', format(
      'ratePerHour: the market''s maximum is %s credits an hour; %s is above it', v_max, p_rate),
      'ratePerHour');
  END IF;
  IF p_hours > n.hours_per_week - n.accepted_hours_per_week THEN
    PERFORM bare_writes.refuse('CONFLICT', format('The need has %s hours a week left to fill',
      n.hours_per_week - n.accepted_hours_per_week), 'hoursPerWeek');
  END IF;
  SELECT weekly_capacity_hours - committed_hours_per_week INTO v_spare
    FROM public.employee WHERE id = p_actor;
  IF p_hours > v_spare THEN
    PERFORM bare_writes.refuse('CAPACITY_EXCEEDED', format(
      'You have %s spare hours a week; this bid offers %s', v_spare, p_hours));
  END IF;
  IF cardinality(p_skills) > 0 THEN
    -- The bidder's own skills named in the bid (normalized names); one they lack is bad input.
    SELECT min(w.i) FILTER (WHERE k.id IS NULL), array_agg(DISTINCT k.id) FILTER (WHERE k.id IS NOT NULL)
      INTO v_missing, v_skill_ids
      FROM unnest(p_skills) WITH ORDINALITY AS w(name, i)
      LEFT JOIN LATERAL (SELECT k0.id FROM public.skill k0
                           JOIN public.employee_skill s ON s.skill_id = k0.id AND s.employee_id = p_actor
                          WHERE k0.normalized_name = w.name) k ON true;
    IF v_missing IS NOT NULL THEN
      PERFORM bare_writes.refuse('BAD_USER_INPUT', format('skills.%s: "%s" is not one of your skills',
        v_missing - 1, p_skill_names[v_missing]), format('skills.%s', v_missing - 1));
    END IF;
  END IF;
  -- bid_one_live_per_bidder_key refuses a second live bid (CONFLICT).
  INSERT INTO public.bid (need_id, bidder_id, hours_per_week, rate_per_hour, message)
  VALUES (n.id, p_actor, p_hours, p_rate, p_message) RETURNING id INTO v_bid;
  IF cardinality(v_skill_ids) > 0 THEN
    INSERT INTO public.bid_skill (bid_id, skill_id) SELECT v_bid, unnest(v_skill_ids);
  END IF;
  INSERT INTO public.event (actor_id, action, subject_type, subject_id, payload)
  VALUES (p_actor, 'bid.place', 'Bid', v_bid, jsonb_build_object('needId', n.id,
    'hoursPerWeek', p_hours, 'ratePerHour', p_rate, 'skills', to_jsonb(p_skill_names)));
  -- needBuyersOfBid: the buying team's leads, or the buying initiative's owner.
  PERFORM bare_writes.notify(p_actor, a.actor_name, (
    SELECT coalesce(jsonb_agg(jsonb_build_object('recipient', r.recipient, 'priority', 0,
             'kind', 'BID_RECEIVED', 'template', '%s bid on your need “%s”',
             'subject_type', 'Need', 'subject_id', n.id, 'title', n.title)), '[]'::jsonb)
      FROM (SELECT m.employee_id AS recipient FROM public.team_membership m
             WHERE n.buyer_kind = 'TEAM' AND m.team_id = n.buyer_id AND m.role = 'LEAD'
            UNION
            SELECT i.owner_id FROM public.initiative i
             WHERE n.buyer_kind = 'INITIATIVE' AND i.id = n.buyer_id) r));
  RETURN jsonb_build_object('bid', jsonb_build_object('id', v_bid, 'needId', n.id,
    'hoursPerWeek', p_hours, 'ratePerHour', p_rate, 'status', 'PENDING'));
END $fn$;

-- acceptBid (BidService.accept): lock order need, bid, employee, accounts (by id).
CREATE OR REPLACE FUNCTION bare_writes.accept_bid(p_actor uuid, p_session_version int, p_bid uuid,
  p_key text, p_hash text)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a record;
  v_first jsonb;
  v_need_id uuid;
  n record;
  b record;
  v_total bigint;
  v_status public.need_status;
  v_transfer uuid;
  v_engagement uuid;
  v_rejected uuid[] := '{}';
BEGIN
  SELECT * INTO a FROM bare_writes.admit(p_actor, p_session_version);
  v_first := bare_writes.claim(p_actor, p_key, 'acceptBid', p_hash);
  IF v_first IS NOT NULL THEN
    RETURN jsonb_build_object('engagement', (
      SELECT jsonb_build_object('id', g.id, 'status', g.status, 'timesheets', '[]'::jsonb)
        FROM public.engagement g WHERE g.id = (v_first->>'engagementId')::uuid));
  END IF;
  SELECT need_id INTO v_need_id FROM public.bid WHERE id = p_bid;
  IF NOT FOUND THEN PERFORM bare_writes.refuse('NOT_FOUND', 'Bid not found', 'bidId'); END IF;
  SELECT n0.id, n0.buyer_kind, n0.buyer_id, n0.buyer_account_id, n0.escrow_account_id, n0.status,
         n0.rate_per_hour, n0.hours_per_week, n0.accepted_hours_per_week, n0.weeks, n0.title
    INTO n FROM public.need n0 WHERE n0.id = v_need_id FOR UPDATE;
  SELECT b0.id, b0.bidder_id, b0.hours_per_week, b0.rate_per_hour, b0.status
    INTO b FROM public.bid b0 WHERE b0.id = p_bid FOR UPDATE;
  IF NOT bare_writes.acts_for_buyer(p_actor, n.buyer_kind, n.buyer_id) OR b.bidder_id = p_actor THEN
    PERFORM bare_writes.refuse('FORBIDDEN',
      'Only a lead of the buying team can accept bids, and never their own');
  END IF;
  IF b.status <> 'PENDING' THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION', format('The bid is %s: it cannot be accepted', b.status));
  END IF;
  IF n.status <> 'OPEN' THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION', format('The need is %s: it takes no more bids', n.status));
  END IF;
  IF b.rate_per_hour > n.rate_per_hour THEN
    PERFORM bare_writes.refuse('CONFLICT', format(
      'The bid asks %s credits an hour, more than the need''s %s: raise the need''s rate first',
      b.rate_per_hour, n.rate_per_hour));
  END IF;
  IF b.hours_per_week > n.hours_per_week - n.accepted_hours_per_week THEN
    PERFORM bare_writes.refuse('CONFLICT', format('The need has %s hours a week left; the bid offers %s',
      n.hours_per_week - n.accepted_hours_per_week, b.hours_per_week));
  END IF;
  v_total := b.hours_per_week::bigint * n.weeks * b.rate_per_hour;
  -- need_accepted_hours_check backs the hours up; FILLED when they reach the need's.
  UPDATE public.need SET accepted_hours_per_week = accepted_hours_per_week + b.hours_per_week,
         status = CASE WHEN accepted_hours_per_week + b.hours_per_week = hours_per_week
                       THEN 'FILLED' ELSE status END::public.need_status,
         filled_at = CASE WHEN accepted_hours_per_week + b.hours_per_week = hours_per_week
                          THEN now() ELSE filled_at END
   WHERE id = n.id RETURNING status INTO v_status;
  -- employee_capacity_check refuses an overbooking (CAPACITY_EXCEEDED).
  UPDATE public.employee SET committed_hours_per_week = committed_hours_per_week + b.hours_per_week
   WHERE id = b.bidder_id;
  IF NOT FOUND THEN PERFORM bare_writes.refuse('NOT_FOUND', 'Employee not found'); END IF;
  v_transfer := bare_writes.transfer(n.buyer_account_id, n.escrow_account_id, v_total,
    'ESCROW_DEPOSIT', p_key, format('Escrow for "%s"', n.title));
  IF n.buyer_kind = 'INITIATIVE' THEN
    UPDATE public.initiative SET spent = spent + v_total WHERE id = n.buyer_id;
  END IF;
  UPDATE public.bid SET status = 'ACCEPTED', decision_note = NULL, decided_at = now() WHERE id = b.id;
  INSERT INTO public.engagement (bid_id, need_id, employee_id, hours_per_week, weeks, rate_per_hour,
                                 total_hours, starts_on)
  VALUES (b.id, n.id, b.bidder_id, b.hours_per_week, n.weeks, b.rate_per_hour,
          b.hours_per_week * n.weeks, date_trunc('week', now() AT TIME ZONE 'UTC')::date)
  RETURNING id INTO v_engagement;
  IF v_status = 'FILLED' THEN
    WITH rejected AS (
      UPDATE public.bid SET status = 'REJECTED', decision_note = 'The need was filled', decided_at = now()
       WHERE need_id = n.id AND status = 'PENDING' RETURNING bidder_id)
    SELECT coalesce(array_agg(bidder_id), '{}') INTO v_rejected FROM rejected;
  END IF;
  INSERT INTO public.event (actor_id, action, subject_type, subject_id, payload)
  VALUES (p_actor, 'bid.accept', 'Bid', b.id, jsonb_build_object('needId', n.id,
    'engagementId', v_engagement, 'escrowed', v_total, 'transferId', v_transfer,
    'needStatus', v_status, 'otherBidsRejected', cardinality(v_rejected)));
  -- The bidder; and the other bidders this acceptance rejected (otherBiddersRejectedNow).
  PERFORM bare_writes.notify(p_actor, a.actor_name, (
    SELECT jsonb_agg(jsonb_build_object('recipient', r.recipient, 'priority', r.priority,
             'kind', r.kind, 'template', r.template, 'subject_type', 'Need', 'subject_id', n.id,
             'title', n.title))
      FROM (SELECT b.bidder_id AS recipient, 0 AS priority, 'BID_ACCEPTED' AS kind,
                   '%s accepted your bid on “%s”' AS template
            UNION ALL
            SELECT unnest(v_rejected), 1, 'BID_REJECTED',
                   '%s filled “%s” with other bids: yours was not accepted') r));
  IF p_key IS NOT NULL THEN
    UPDATE public.idempotency_key
       SET response = jsonb_build_object('engagementId', v_engagement, 'transferId', v_transfer)
     WHERE actor_id = p_actor AND key = p_key;
  END IF;
  RETURN jsonb_build_object('engagement', jsonb_build_object('id', v_engagement,
    'status', 'ACTIVE', 'timesheets', '[]'::jsonb));
END $fn$;

-- The engagement's answer to logTime: its weeks, oldest first.
CREATE OR REPLACE FUNCTION bare_writes.logged(p_log uuid, p_engagement uuid)
RETURNS jsonb LANGUAGE sql STABLE AS $fn$
  SELECT jsonb_build_object(
    'timeLog', (SELECT jsonb_build_object('id', l.id, 'hours', l.hours, 'date', l.work_date::text,
                                          'status', l.status)
                  FROM public.time_log l WHERE l.id = p_log),
    'engagement', (SELECT jsonb_build_object('id', g.id, 'status', g.status, 'timesheets',
                      coalesce((SELECT jsonb_agg(jsonb_build_object('id', s.id) ORDER BY s.week_start)
                                  FROM public.timesheet s WHERE s.engagement_id = g.id), '[]'::jsonb))
                     FROM public.engagement g WHERE g.id = p_engagement))
$fn$;

-- logTime (EngagementService.logTime): lock order need (SHARE), engagement.
CREATE OR REPLACE FUNCTION bare_writes.log_time(p_actor uuid, p_session_version int,
  p_engagement uuid, p_date date, p_hours int, p_note text, p_key text, p_hash text,
  p_review_days int)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a record;
  v_first jsonb;
  v_need_id uuid;
  g record;
  v_last date;
  v_week date;
  v_sheet uuid;
  v_status public.engagement_status;
  v_log uuid;
BEGIN
  SELECT * INTO a FROM bare_writes.admit(p_actor, p_session_version);
  v_first := bare_writes.claim(p_actor, p_key, 'logTime', p_hash);
  IF v_first IS NOT NULL THEN
    RETURN bare_writes.logged((v_first->>'timeLogId')::uuid, p_engagement);
  END IF;
  SELECT need_id INTO v_need_id FROM public.engagement WHERE id = p_engagement;
  IF NOT FOUND THEN
    PERFORM bare_writes.refuse('NOT_FOUND', 'Engagement not found', 'engagementId');
  END IF;
  -- SHARE: closing the need waits for hours being logged.
  PERFORM 1 FROM public.need WHERE id = v_need_id FOR SHARE;
  SELECT g0.id, g0.employee_id, g0.status, g0.hours_per_week, g0.starts_on, g0.weeks,
         g0.total_hours, g0.logged_hours
    INTO g FROM public.engagement g0 WHERE g0.id = p_engagement FOR UPDATE;
  IF g.employee_id <> p_actor THEN
    PERFORM bare_writes.refuse('FORBIDDEN', 'Only the engaged employee can log time on it');
  END IF;
  IF g.status <> 'ACTIVE' THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION',
      format('The engagement is %s: no more time can be logged', g.status));
  END IF;
  -- The calendar (timesheet-calendar.ts, UTC days): not in the future (5 minutes of clock
  -- skew allowed), inside the engagement's weeks, and by the Monday after the day's week.
  v_week := date_trunc('week', p_date::timestamp)::date;
  v_last := g.starts_on + 7 * g.weeks - 1;
  IF p_date > ((now() + interval '5 minutes') AT TIME ZONE 'UTC')::date THEN
    PERFORM bare_writes.refuse('BAD_USER_INPUT', 'date: work cannot be logged for a future day', 'date');
  ELSIF p_date < g.starts_on OR p_date > v_last THEN
    PERFORM bare_writes.refuse('BAD_USER_INPUT',
      format('date: the engagement runs from %s to %s', g.starts_on, v_last), 'date');
  ELSIF ((v_week + 8)::timestamp AT TIME ZONE 'UTC') <= now() THEN
    PERFORM bare_writes.refuse('BAD_USER_INPUT', format(
      'date: the week of %s is closed to logging: hours are logged by the Monday after the week', v_week),
      'date');
  END IF;
  IF EXISTS (SELECT 1 FROM public.timesheet_dispute
              WHERE engagement_id = g.id AND status IN ('OPEN', 'CONTESTED')) THEN
    PERFORM bare_writes.refuse('CONFLICT',
      'A dispute pauses this engagement: no time can be logged until it is resolved', 'engagementId');
  END IF;
  -- timesheet_hours_check refuses a week past hoursPerWeek (CONFLICT).
  INSERT INTO public.timesheet AS s (engagement_id, week_start, max_hours, pending_hours, review_ends_at)
  VALUES (g.id, v_week, g.hours_per_week, p_hours,
          (v_week + 7 + p_review_days)::timestamp AT TIME ZONE 'UTC')
  ON CONFLICT (engagement_id, week_start)
  DO UPDATE SET pending_hours = s.pending_hours + EXCLUDED.pending_hours
  RETURNING id INTO v_sheet;
  -- engagement_logged_hours_check refuses hours past the total (CONFLICT).
  UPDATE public.engagement SET logged_hours = logged_hours + p_hours,
         status = CASE WHEN logged_hours + p_hours = total_hours
                       THEN 'COMPLETED' ELSE status END::public.engagement_status,
         finished_at = CASE WHEN logged_hours + p_hours = total_hours THEN now() ELSE finished_at END
   WHERE id = g.id AND status = 'ACTIVE' RETURNING status INTO v_status;
  IF NOT FOUND THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION',
      format('The engagement is %s: no more time can be logged', g.status));
  END IF;
  INSERT INTO public.time_log (engagement_id, timesheet_id, hours, work_date, note, payee_team_id)
  VALUES (g.id, v_sheet, p_hours, p_date, p_note, a.actor_home_team) RETURNING id INTO v_log;
  IF v_status = 'COMPLETED' THEN
    UPDATE public.employee SET committed_hours_per_week = committed_hours_per_week - g.hours_per_week
     WHERE id = p_actor;
  END IF;
  INSERT INTO public.event (actor_id, action, subject_type, subject_id, payload)
  VALUES (p_actor, 'engagement.logTime', 'Engagement', g.id, jsonb_build_object('hours', p_hours,
    'date', p_date::text, 'timesheetId', v_sheet, 'timeLogId', v_log, 'status', v_status));
  IF p_key IS NOT NULL THEN
    UPDATE public.idempotency_key SET response = jsonb_build_object('timeLogId', v_log)
     WHERE actor_id = p_actor AND key = p_key;
  END IF;
  RETURN bare_writes.logged(v_log, g.id);
END $fn$;

-- approveTimesheet (TimesheetService.approve): lock order need (SHARE), engagement, timesheet,
-- time logs, accounts; one TIME_PAYMENT per payee team, in the order of their first log.
CREATE OR REPLACE FUNCTION bare_writes.approve_timesheet(p_actor uuid, p_session_version int,
  p_timesheet uuid, p_key text, p_hash text)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a record;
  v_first jsonb;
  v_engagement_id uuid;
  v_need_id uuid;
  n record;
  g record;
  s record;
  p record;
  v_account uuid;
  v_transfer uuid;
  v_transfers uuid[] := '{}';
  v_hours int := 0;
  v_paid bigint := 0;
BEGIN
  SELECT * INTO a FROM bare_writes.admit(p_actor, p_session_version);
  v_first := bare_writes.claim(p_actor, p_key, 'approveTimesheet', p_hash);
  IF v_first IS NOT NULL THEN
    RETURN jsonb_build_object('timesheet', jsonb_build_object('id', p_timesheet));
  END IF;
  SELECT t.engagement_id, g0.need_id INTO v_engagement_id, v_need_id
    FROM public.timesheet t JOIN public.engagement g0 ON g0.id = t.engagement_id
   WHERE t.id = p_timesheet;
  IF NOT FOUND THEN
    PERFORM bare_writes.refuse('NOT_FOUND', 'Timesheet not found', 'timesheetId');
  END IF;
  SELECT n0.id, n0.buyer_kind, n0.buyer_id, n0.escrow_account_id, n0.title
    INTO n FROM public.need n0 WHERE n0.id = v_need_id FOR SHARE;
  SELECT g0.id, g0.employee_id INTO g FROM public.engagement g0 WHERE g0.id = v_engagement_id FOR UPDATE;
  IF NOT bare_writes.acts_for_buyer(p_actor, n.buyer_kind, n.buyer_id) OR g.employee_id = p_actor THEN
    PERFORM bare_writes.refuse('FORBIDDEN',
      'Only the buyer''s leads, not the worker, review this engagement''s timesheets');
  END IF;
  SELECT s0.id, s0.week_start INTO s FROM public.timesheet s0 WHERE s0.id = p_timesheet FOR UPDATE;
  FOR p IN
    SELECT l.payee_team_id, array_agg(l.id ORDER BY l.seq) AS ids, sum(l.hours)::int AS hours,
           sum(l.amount)::bigint AS amount
      FROM (SELECT l0.id, l0.seq, l0.hours, l0.hours * g0.rate_per_hour AS amount, l0.payee_team_id
              FROM public.time_log l0 JOIN public.engagement g0 ON g0.id = l0.engagement_id
             WHERE l0.timesheet_id = p_timesheet AND l0.status = 'PENDING'
             ORDER BY l0.seq FOR UPDATE OF l0) l
     GROUP BY l.payee_team_id ORDER BY min(l.seq)
  LOOP
    SELECT id INTO v_account FROM public.account WHERE kind = 'TEAM' AND owner_id = p.payee_team_id;
    IF NOT FOUND THEN PERFORM bare_writes.refuse('NOT_FOUND', 'team account not found'); END IF;
    v_transfer := bare_writes.transfer(n.escrow_account_id, v_account, p.amount, 'TIME_PAYMENT', NULL,
      format('%s h on "%s", approved by the buyer', p.hours, n.title));
    UPDATE public.time_log SET status = 'APPROVED', transfer_id = v_transfer, settled_at = now()
     WHERE id = ANY(p.ids) AND status IN ('PENDING', 'DISPUTED');
    v_transfers := v_transfers || v_transfer;
    v_hours := v_hours + p.hours;
    v_paid := v_paid + p.amount;
  END LOOP;
  IF cardinality(v_transfers) = 0 THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION', 'No hours of this week are pending review');
  END IF;
  UPDATE public.timesheet SET pending_hours = pending_hours - v_hours,
         approved_hours = approved_hours + v_hours
   WHERE id = s.id;
  INSERT INTO public.event (actor_id, action, subject_type, subject_id, payload)
  VALUES (p_actor, 'timesheet.approve', 'Timesheet', s.id, jsonb_build_object(
    'engagementId', g.id, 'weekStart', s.week_start::text, 'hours', v_hours, 'paid', v_paid,
    'transferIds', to_jsonb(v_transfers)));
  -- timesheetWorker.
  PERFORM bare_writes.notify(p_actor, a.actor_name, jsonb_build_array(jsonb_build_object(
    'recipient', g.employee_id, 'priority', 0, 'kind', 'HOURS_APPROVED',
    'template', '%s approved your hours on “%s”', 'subject_type', 'Engagement',
    'subject_id', g.id, 'title', n.title)));
  IF p_key IS NOT NULL THEN
    UPDATE public.idempotency_key SET response = jsonb_build_object('transferIds', to_jsonb(v_transfers))
     WHERE actor_id = p_actor AND key = p_key;
  END IF;
  RETURN jsonb_build_object('timesheet', jsonb_build_object('id', s.id));
END $fn$;

-- pledgeToIdea (IdeaFundingService.pledge, and the resolver's rule: a lead of the paying team).
CREATE OR REPLACE FUNCTION bare_writes.pledge_to_idea(p_actor uuid, p_session_version int,
  p_idea uuid, p_team uuid, p_amount bigint, p_key text, p_hash text, p_max_pledges int)
RETURNS jsonb LANGUAGE plpgsql AS $fn$
DECLARE
  a record;
  v_first jsonb;
  i record;
  v_status public.idea_status;
  v_from uuid;
  v_transfer uuid;
  v_pledge uuid;
BEGIN
  SELECT * INTO a FROM bare_writes.admit(p_actor, p_session_version);
  IF NOT EXISTS (SELECT 1 FROM public.team_membership
                  WHERE employee_id = p_actor AND team_id = p_team AND role = 'LEAD') THEN
    PERFORM bare_writes.refuse('FORBIDDEN', 'You are not allowed to do this');
  END IF;
  v_first := bare_writes.claim(p_actor, p_key, 'pledgeToIdea', p_hash);
  IF v_first IS NOT NULL THEN
    RETURN (SELECT jsonb_build_object('pledge', jsonb_build_object('id', x.id, 'amount', x.amount))
              FROM public.pledge x WHERE x.id = (v_first->>'pledgeId')::uuid);
  END IF;
  SELECT i0.id, i0.status, i0.submitted_at, i0.proposer_id, i0.funding_goal, i0.pledged_total,
         i0.escrow_account_id, i0.title
    INTO i FROM public.idea i0 WHERE i0.id = p_idea FOR UPDATE;
  IF NOT FOUND OR (i.submitted_at IS NULL AND i.proposer_id <> p_actor) THEN
    PERFORM bare_writes.refuse('NOT_FOUND', 'Idea not found', 'ideaId');
  END IF;
  IF i.status = 'FUNDED' THEN
    PERFORM bare_writes.refuse('CONFLICT', 'The idea is fully funded already', 'amount');
  END IF;
  IF i.status <> 'SUBMITTED' THEN
    PERFORM bare_writes.refuse('INVALID_TRANSITION', format('The idea is %s: it takes no pledges', i.status));
  END IF;
  IF p_amount > i.funding_goal - i.pledged_total THEN
    PERFORM bare_writes.refuse('CONFLICT', format('The idea needs only %s more credits',
      i.funding_goal - i.pledged_total), 'amount');
  END IF;
  -- idea_pledged_within_goal backs the goal up (CONFLICT); FUNDED when it is reached.
  UPDATE public.idea SET pledged_total = pledged_total + p_amount,
         status = CASE WHEN pledged_total + p_amount = funding_goal
                       THEN 'FUNDED' ELSE status END::public.idea_status,
         funded_at = CASE WHEN pledged_total + p_amount = funding_goal THEN now() ELSE funded_at END
   WHERE id = i.id RETURNING status INTO v_status;
  SELECT id INTO v_from FROM public.account WHERE kind = 'TEAM' AND owner_id = p_team;
  IF NOT FOUND THEN PERFORM bare_writes.refuse('NOT_FOUND', 'team account not found', 'teamId'); END IF;
  v_transfer := bare_writes.transfer(v_from, i.escrow_account_id, p_amount, 'PLEDGE', p_key,
    format('Pledge to "%s"', i.title));
  -- At most p_max_pledges pledges, counted under the idea's lock.
  INSERT INTO public.pledge (idea_id, team_id, pledged_by_id, amount, transfer_id)
  SELECT i.id, p_team, p_actor, p_amount, v_transfer
   WHERE (SELECT count(*) FROM public.pledge WHERE idea_id = i.id) < p_max_pledges
  RETURNING id INTO v_pledge;
  IF v_pledge IS NULL THEN
    PERFORM bare_writes.refuse('CONFLICT', format(
      'The idea has %s pledges already, the most it takes', p_max_pledges), 'ideaId');
  END IF;
  INSERT INTO public.event (actor_id, action, subject_type, subject_id, payload)
  VALUES (p_actor, 'idea.pledge', 'Idea', i.id, jsonb_build_object('teamId', p_team,
    'amount', p_amount, 'transferId', v_transfer, 'status', v_status));
  -- ideaAudience: the proposer and the idea's followers.
  PERFORM bare_writes.notify(p_actor, a.actor_name, (
    SELECT jsonb_agg(jsonb_build_object('recipient', r.recipient, 'priority', 0,
             'kind', CASE WHEN v_status = 'FUNDED' THEN 'IDEA_FUNDED' ELSE 'IDEA_PLEDGED' END,
             'template', CASE WHEN v_status = 'FUNDED'
                              THEN '%s pledged the last credits: “%s” is funded'
                              ELSE '%s pledged to “%s”' END,
             'subject_type', 'Idea', 'subject_id', i.id, 'title', i.title))
      FROM (SELECT i.proposer_id AS recipient
            UNION
            SELECT f.employee_id FROM public.follow f
             WHERE f.subject_type = 'Idea' AND f.subject_id = i.id) r));
  IF p_key IS NOT NULL THEN
    UPDATE public.idempotency_key SET response = jsonb_build_object('pledgeId', v_pledge)
     WHERE actor_id = p_actor AND key = p_key;
  END IF;
  RETURN jsonb_build_object('pledge', jsonb_build_object('id', v_pledge, 'amount', p_amount));
END $fn$;
`;
