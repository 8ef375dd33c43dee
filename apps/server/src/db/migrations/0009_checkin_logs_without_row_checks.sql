-- Owner: checkin. Check-in writes without per-row foreign-key checks.
--
-- PostgreSQL checks a foreign key with one lookup per inserted row (run through SPI, locking the
-- referenced row FOR KEY SHARE). A 100-mutation sync batch inserted 100 logs with three checks each
-- (event, participant, user) and 100 feed rows with one more: measured with pgbench on this
-- statement, those lookups were a third of the database's time per mutation (about 260 → 390 batches/s
-- without them). Every row that sees the event row locked FOR KEY SHARE by several writers at
-- once also turned that lock into a multixact.
--
-- The checks guarded nothing the write statement does not already guarantee:
--  * participant (and so event): the same statement updates every participant it logs for, only
--    if its revision is the one read for that event, and aborts unless every update happened
--    (checkin_expect_current); the row lock it takes keeps a concurrent delete out until it commits.
--  * user: the log's user is the authenticated account syncing.
-- What the foreign keys did on delete — and what the app never does itself: participants, events
-- and accounts are only ever soft-deleted or anonymised — is kept by statement-level triggers that
-- do the same at delete time, once per statement instead of per row.
alter table checkin_logs drop constraint if exists checkin_logs_event_id_fkey;
alter table checkin_logs drop constraint if exists checkin_logs_participant_id_fkey;
alter table checkin_logs drop constraint if exists checkin_logs_user_id_fkey;
alter table participant_changes drop constraint if exists participant_changes_event_id_fkey;

-- A deleted participant takes its logs with it (was: on delete cascade). Deleting an event deletes
-- its participants through their own foreign key, so this covers an event's logs too.
create function checkin_forget_participants() returns trigger
language plpgsql as $$
begin
  delete from checkin_logs l using gone g where l.participant_id = g.id;
  return null;
end
$$;
create trigger checkin_forget_participants after delete on participants
  referencing old table as gone for each statement execute function checkin_forget_participants();

-- A deleted event takes its change feed with it (was: on delete cascade).
create function checkin_forget_events() returns trigger
language plpgsql as $$
begin
  delete from participant_changes c using gone g where c.event_id = g.id;
  return null;
end
$$;
create trigger checkin_forget_events after delete on events
  referencing old table as gone for each statement execute function checkin_forget_events();

-- A deleted account no longer names who checked someone in (was: on delete set null).
create function checkin_forget_users() returns trigger
language plpgsql as $$
begin
  update checkin_logs l set user_id = null from gone g where l.user_id = g.id;
  return null;
end
$$;
create trigger checkin_forget_users after delete on users
  referencing old table as gone for each statement execute function checkin_forget_users();
