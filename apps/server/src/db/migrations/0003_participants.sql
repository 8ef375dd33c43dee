-- Participants: one row per registration. E-mail and phone are stored only encrypted (AES-256-GCM,
-- "v1:<keyId>:<iv>:<tag>:<ct>"); email_hash is a keyed HMAC of the normalised e-mail that gives the
-- one-registration-per-(event, email) rule and exact lookup without plaintext.
create table participants (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references events (id) on delete cascade,
  name text not null,
  -- 초성 of the name ("홍길동" → "ㅎㄱㄷ") for initial-consonant search.
  name_initials text not null,
  email_enc text not null,
  email_hash text not null,
  phone_enc text,
  custom_responses jsonb not null default '{}'::jsonb,
  -- {privacy: {agreed_at, version}, marketing?: {agreed, agreed_at, version}}
  consents jsonb not null,
  language text not null default 'ko' check (language in ('ko', 'en')),
  registration_number integer not null check (registration_number > 0),
  registration_timestamp timestamptz not null default now(),
  source text not null check (source in ('direct', 'referral', 'import')),
  referral_code text,
  added_by uuid references users (id) on delete set null,
  registration_status text not null
    check (registration_status in ('registered', 'waitlist', 'pending', 'cancelled', 'rejected')),
  checkin_status text not null default 'not_checked_in'
    check (checkin_status in ('not_checked_in', 'checked_in', 'no_show')),
  checkin_timestamp timestamptz,
  checked_by uuid references users (id) on delete set null,
  checkin_device_id text,
  -- Bumped by every change the offline clients must see (check-in state, identity, status).
  version integer not null default 1,
  -- Unguessable code printed in the ticket QR; never the database id.
  ticket_code text not null unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  anonymized_at timestamptz,
  deleted_at timestamptz
);
create unique index participants_event_email_uidx on participants (event_id, email_hash);
create unique index participants_event_number_uidx on participants (event_id, registration_number);
create index participants_event_checkin_idx on participants (event_id, checkin_status);
create index participants_event_status_idx on participants (event_id, registration_status, registration_number);
-- pg_trgm is created by 0001 on both engines: substring search on names and on their initials.
create index participants_name_trgm_idx on participants using gin (name gin_trgm_ops);
create index participants_initials_trgm_idx on participants using gin (name_initials gin_trgm_ops);

-- Per-event registration counter, advanced only inside the registering transaction while the event
-- row is locked: numbers are gap-free (a rolled-back registration rolls the counter back too) and
-- never reused, even if participant rows are later hard-deleted.
create table participant_sequences (
  event_id uuid primary key references events (id) on delete cascade,
  last_number integer not null
);

-- Every export and every reveal of masked personal data: who, when, which event, what.
create table pii_access_log (
  id uuid primary key default gen_random_uuid(),
  user_id uuid references users (id) on delete set null,
  event_id uuid references events (id) on delete cascade,
  participant_id uuid,
  action text not null,
  detail jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);
create index pii_access_log_event_idx on pii_access_log (event_id, created_at);

-- The dashboard's counts, read by the events module in its one query: registered participants and
-- how many of them are checked in.
drop view if exists event_participant_counts;
create view event_participant_counts as
select
  event_id,
  (count(*) filter (where registration_status = 'registered'))::int as participant_count,
  (count(*) filter (where registration_status = 'registered' and checkin_status = 'checked_in'))::int
    as checked_in_count
from participants
where deleted_at is null
group by event_id;
