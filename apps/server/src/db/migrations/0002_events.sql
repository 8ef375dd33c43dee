-- Events and their staff. The nested sections of the seed's Event that are always read whole
-- (location, form, features, branding) are jsonb; what is filtered or sorted on is a column.
create table events (
  id uuid primary key default gen_random_uuid(),
  organizer_id uuid not null references users (id) on delete cascade,
  name text not null,
  description text not null default '',
  language text not null default 'ko' check (language in ('ko', 'en')),
  location jsonb not null,
  starts_at timestamptz not null,
  ends_at timestamptz,
  timezone text not null,
  max_participants integer check (max_participants is null or max_participants >= 1),
  waitlist_enabled boolean not null default false,
  deadline timestamptz,
  requires_approval boolean not null default false,
  -- Answers are stored by participants under these field ids and never rewritten; a field removed
  -- from the form moves to retired_form_fields so its old answers keep a label.
  form_fields jsonb not null default '[]',
  retired_form_fields jsonb not null default '[]',
  status text not null default 'draft'
    check (status in ('draft', 'published', 'in_progress', 'completed', 'cancelled')),
  privacy text not null default 'public' check (privacy in ('public', 'private')),
  features jsonb not null,
  branding jsonb,
  share_code text not null unique,
  -- First publication: a cancelled event stays visible by link only if people could have seen it.
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz,
  check (ends_at is null or ends_at > starts_at)
);
-- The seed's dashboard index (organizer_id, status, datetime) and the reminder scan by start time.
create index events_organizer_status_start_idx on events (organizer_id, status, starts_at) where deleted_at is null;
create index events_status_start_idx on events (status, starts_at) where deleted_at is null;

create table event_staff (
  event_id uuid not null references events (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null default 'staff' check (role in ('staff')),
  invited_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  primary key (event_id, user_id)
);
create index event_staff_user_idx on event_staff (user_id);

-- Placeholder so the dashboard query runs before the participants migration exists: 0003 replaces
-- it (`create or replace view`) with the real counts over the participants table.
create view event_participant_counts as
  select null::uuid as event_id, 0::bigint as participant_count, 0::bigint as checked_in_count
  where false;
