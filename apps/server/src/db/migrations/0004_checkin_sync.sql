-- Check-in sync: the append-only action log, the per-event change feed with its cursor, and each
-- device's measured clock offset. A participant's check-in state (kept on participants by the
-- participants module) is always recomputed from ALL of its checkin_logs with the domain's
-- resolveCheckinState, so the order in which devices' logs arrive never matters.

-- One row per applied mutation. The log id IS the client's mutation id: devices resolve their local
-- logs with the same ids, so the tie-break by id gives the same answer on every device and server.
-- (event_id, id) unique is also the at-most-once guard for retried batches.
create table checkin_logs (
  event_id uuid not null references events (id) on delete cascade,
  id uuid not null,
  participant_id uuid not null references participants (id) on delete cascade,
  action text not null check (action in ('check_in', 'undo_check_in')),
  -- Corrected action time on the server's clock: local_timestamp + clock_offset_ms (clamped when
  -- absurd). This is the seed's CheckInLog.timestamp and what the rule orders by.
  action_at timestamptz not null,
  local_timestamp timestamptz not null,
  server_timestamp timestamptz not null,
  clock_offset_ms bigint not null,
  -- True when the corrected time was more than 24 h from the server's clock and was clamped.
  clamped boolean not null default false,
  device_id text not null,
  device_name text not null,
  user_id uuid references users (id) on delete set null,
  -- The participant's version right after this log was applied.
  version integer not null,
  -- True when this log took part in a < 5 s check-in/undo contest.
  conflict_resolved boolean not null default false,
  location jsonb,
  primary key (event_id, id)
);
create index checkin_logs_participant_idx on checkin_logs (participant_id, action_at);
create index checkin_logs_event_recent_idx on checkin_logs (event_id, server_timestamp desc);

-- The per-event change counter. Writers advance it inside their own transaction, which row-locks it
-- until commit: two writers of one event take cursor values one after the other, in commit order.
-- So a reader always sees a gap-free prefix 1..n of the feed and can never skip a change that
-- commits later with a smaller cursor (a plain sequence would allow exactly that). A rolled-back
-- writer rolls the counter back too, so cursors stay dense and a client detects a missed message
-- by a jump of more than one.
create table event_change_cursors (
  event_id uuid primary key references events (id) on delete cascade,
  last_cursor bigint not null
);

-- The change feed behind GET /changes and the WebSocket's `cursor`: every registration, status
-- change, edit, check-in and no-show, with the participant's check-in state at that moment.
create table participant_changes (
  event_id uuid not null references events (id) on delete cascade,
  cursor bigint not null,
  participant_id uuid not null,
  kind text not null check (kind in ('registered', 'status_changed', 'updated', 'checkin', 'no_show')),
  checkin_status text not null,
  checkin_timestamp timestamptz,
  checked_by uuid,
  checkin_device_id text,
  version integer not null,
  changed_at timestamptz not null default now(),
  primary key (event_id, cursor)
);

-- Each device's clock offset (server − device, ms), measured on every sync that carries sent_at and
-- on WebSocket heartbeats; used for mutations of a sync that carries no sent_at.
create table device_clock (
  user_id uuid not null references users (id) on delete cascade,
  device_id text not null,
  clock_offset_ms bigint not null,
  measured_at timestamptz not null,
  primary key (user_id, device_id)
);
