-- Accounts: organizers and staff, their sessions and rotating refresh tokens.
create extension if not exists pg_trgm;

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  password_hash text not null,
  name text not null,
  organization text,
  profile_image_url text,
  tier text not null default 'free' check (tier in ('free', 'basic_premium', 'pro_premium')),
  language text not null default 'ko' check (language in ('ko', 'en')),
  notifications boolean not null default true,
  timezone text not null default 'Asia/Seoul',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_login timestamptz
);
create index users_tier_idx on users (tier);
create index users_created_at_idx on users (created_at);

-- A session is one login; it lives 7 days from login however often its refresh token rotates.
create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_reason text,
  user_agent text,
  ip text
);
create index sessions_user_idx on sessions (user_id);

-- Refresh tokens are stored only as SHA-256 hashes. A token used twice means it leaked: the whole
-- session (its family of tokens) is revoked.
create table refresh_tokens (
  token_hash text primary key,
  session_id uuid not null references sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  used_at timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);
