-- Prize drawings (seed §5) and the seed commitments that make each draw verifiable.

-- A commitment is a secret random seed whose SHA-256 is published before the draw (the projector
-- shows it); the seed itself is revealed only by the drawing that uses it, and each is used once.
create table drawing_commitments (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references events (id) on delete cascade,
  seed text not null check (seed ~ '^[0-9a-f]{64}$'),
  seed_hash text not null check (seed_hash ~ '^[0-9a-f]{64}$'),
  created_by uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index drawing_commitments_event_idx on drawing_commitments (event_id, created_at);

create table prize_drawings (
  id uuid primary key default gen_random_uuid(),
  -- Draw order within the history (drawn_at can tie within a millisecond).
  seq bigint generated always as identity,
  event_id uuid not null references events (id) on delete cascade,
  -- {participant_pool, exclude_previous_winners, filter?} exactly as requested.
  config jsonb not null,
  -- drawn → confirmed, or drawn → discarded when the organizer draws again instead of confirming.
  status text not null default 'drawn' check (status in ('drawn', 'confirmed', 'discarded')),
  -- The winner block is denormalised (seed): the participants module owns that table, so no FK.
  winner_participant_id uuid not null,
  winner_name text not null,
  winner_registration_number integer not null,
  drawn_by uuid not null references users (id) on delete cascade,
  drawn_at timestamptz not null,
  confirmed_at timestamptz,
  discarded_at timestamptz,
  announcement_shared boolean not null default false,
  commitment_id uuid not null unique references drawing_commitments (id),
  seed text not null,
  seed_hash text not null,
  -- The sorted registration numbers drawn from, so anyone can recompute the winner later.
  pool jsonb not null,
  pool_hash text not null,
  pool_size integer not null check (pool_size > 0)
);
create index prize_drawings_event_idx on prize_drawings (event_id, seq desc);
-- Exclusion of previous winners reads the confirmed winners of one event.
create index prize_drawings_confirmed_idx on prize_drawings (event_id, winner_participant_id) where status = 'confirmed';
-- At most one unconfirmed draw per event: a new draw discards the previous one in the same transaction.
create unique index prize_drawings_one_open_idx on prize_drawings (event_id) where status = 'drawn';
