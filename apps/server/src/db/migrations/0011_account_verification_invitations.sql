-- Accounts prove who they are: consent to the terms recorded at sign-up, e-mail verification,
-- password reset by e-mail, and staff invitations accepted by the invited person.

-- Existing accounts predate verification: they stay unverified until they verify (a resend link
-- is offered in the app); staff memberships they already hold are kept.
alter table users
  add column email_verified_at timestamptz,
  add column terms_accepted_at timestamptz,
  add column terms_version text;

-- Single-use links e-mailed to an account (verification, password reset). Only the SHA-256 of the
-- token is stored; `email` is the address the link was sent to (a verification proves that
-- address, not whatever the account's address is later).
create table account_tokens (
  token_hash text primary key,
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('verify_email', 'password_reset')),
  email text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index account_tokens_user_idx on account_tokens (user_id, purpose);

-- A staff invitation goes to an address and becomes a staff membership only when the person who
-- proved that address accepts it. One open invitation per (event, address); resending replaces
-- its token. The token is stored hashed.
create table event_staff_invitations (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references events (id) on delete cascade,
  email text not null,
  role text not null default 'staff' check (role in ('staff')),
  token_hash text not null unique,
  status text not null default 'invited' check (status in ('invited', 'accepted', 'revoked')),
  invited_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  accepted_by uuid references users (id) on delete set null
);
create unique index event_staff_invitations_open_idx
  on event_staff_invitations (event_id, email) where status = 'invited';
create index event_staff_invitations_event_idx on event_staff_invitations (event_id, created_at);

-- The account e-mails go through the same durable queue as every other e-mail.
alter table email_queue drop constraint email_queue_type_check;
alter table email_queue add constraint email_queue_type_check check (type in (
  'registration_confirmation', 'waitlist_promotion', 'registration_approved', 'registration_rejected',
  'reminder_1d', 'reminder_3h', 'thank_you', 'deletion_confirmation', 'organizer_summary',
  'email_verification', 'password_reset', 'staff_invitation'
));
