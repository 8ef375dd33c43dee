-- Billing: subscriptions (with their history), orders/payments at Toss, and each customer's card
-- (billing key, encrypted with the personal-data cipher). No foreign keys into other modules'
-- tables: billing reaches users and events through their modules.

create table billing_customers (
  user_id uuid primary key,
  -- The Toss `customerKey`: random, never derived from the user id (Toss advises against guessable keys).
  customer_key text not null unique,
  billing_key_enc text,
  card_company text,
  card_last4 text,
  card_registered_at timestamptz,
  created_at timestamptz not null default now()
);

create table subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null,
  plan text not null check (plan in ('basic_premium', 'pro_premium')),
  billing_cycle text not null check (billing_cycle in ('monthly', 'yearly', 'per_event')),
  addons jsonb not null default '[]'::jsonb,
  -- The price of one period of this cart (KRW), what a renewal charges.
  price integer not null check (price >= 0),
  status text not null check (status in ('active', 'cancelled', 'past_due', 'expired')),
  current_period_start timestamptz not null,
  current_period_end timestamptz not null,
  cancel_at_period_end boolean not null default false,
  -- A one-event purchase lifts only this event.
  event_id uuid,
  -- Failed renewal attempts of the current period, and when the next one is due.
  retry_count integer not null default 0,
  next_retry_at timestamptz,
  -- Lease of the renewal run that is charging this subscription now: a run on another instance
  -- skips it until the lease ends (compare-and-set on this column, no lock held over the HTTP call).
  renewal_lease_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((billing_cycle = 'per_event') = (event_id is not null))
);
-- At most one running plan subscription per user (one-event purchases are separate).
create unique index subscriptions_one_live_plan on subscriptions (user_id)
  where event_id is null and status in ('active', 'past_due');
create index subscriptions_user_idx on subscriptions (user_id, created_at desc);
create index subscriptions_due_idx on subscriptions (current_period_end) where status in ('active', 'past_due');
create index subscriptions_event_idx on subscriptions (event_id) where event_id is not null;

create table subscription_history (
  id bigint generated always as identity primary key,
  subscription_id uuid not null references subscriptions (id) on delete cascade,
  at timestamptz not null,
  -- created, upgraded, renewed, renewal_failed, past_due, expired, cancel_requested, resumed, ended
  change text not null,
  from_status text,
  to_status text,
  detail jsonb not null default '{}'::jsonb
);
create index subscription_history_sub_idx on subscription_history (subscription_id, id);

-- One row per order sent to Toss (a Payment): a checkout, an upgrade, or a renewal charge.
create table billing_payments (
  id uuid primary key default gen_random_uuid(),
  order_id text not null unique,
  user_id uuid not null,
  subscription_id uuid references subscriptions (id) on delete set null,
  kind text not null check (kind in ('purchase', 'upgrade', 'renewal')),
  plan text not null check (plan in ('basic_premium', 'pro_premium')),
  billing_cycle text not null check (billing_cycle in ('monthly', 'yearly', 'per_event')),
  addons jsonb not null default '[]'::jsonb,
  event_id uuid,
  amount integer not null check (amount >= 0),
  order_name text not null,
  -- pending: prepared, not confirmed; confirming: a confirm holds the lease and is talking to Toss.
  status text not null default 'pending'
    check (status in ('pending', 'confirming', 'succeeded', 'failed', 'refunded')),
  confirm_lease_until timestamptz,
  -- Sent as Toss's Idempotency-Key with every money-moving call for this order.
  idempotency_key text not null,
  payment_key text unique,
  toss_status text,
  method text,
  card_last4 text,
  receipt_url text,
  failure_code text,
  failure_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  succeeded_at timestamptz
);
create index billing_payments_user_idx on billing_payments (user_id, created_at desc);

-- Billing e-mails join the notifications queue's types (the queue stays the notifications module's).
alter table email_queue drop constraint if exists email_queue_type_check;
alter table email_queue add constraint email_queue_type_check check (type in (
  'registration_confirmation', 'waitlist_promotion', 'registration_approved', 'registration_rejected',
  'registration_cancelled', 'registration_restored',
  'reminder_1d', 'reminder_3h', 'thank_you', 'deletion_confirmation', 'organizer_summary',
  'email_verification', 'password_reset', 'staff_invitation',
  'organizer_message',
  'billing_receipt', 'billing_payment_failed'
));
