-- Notifications: the durable e-mail queue (the seed's email_queue) and the bulk-send schedule.
-- No foreign keys to events/participants on purpose: a deletion confirmation must outlive the
-- participant it confirms, and the queue keeps its history when an event is hard-deleted.

create table email_queue (
  id uuid primary key default gen_random_uuid(),
  type text not null check (type in (
    'registration_confirmation', 'waitlist_promotion', 'registration_approved', 'registration_rejected',
    'reminder_1d', 'reminder_3h', 'thank_you', 'deletion_confirmation', 'organizer_summary'
  )),
  recipient text not null,
  template_id text not null,
  -- Everything the template needs, captured when the job is created (the seed's `data`).
  data jsonb not null default '{}'::jsonb,
  scheduled_at timestamptz not null,
  status text not null default 'pending'
    check (status in ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  retry_count integer not null default 0,
  next_retry timestamptz,
  sent_at timestamptz,
  last_error text,
  event_id uuid,
  participant_id uuid,
  -- One job per logical e-mail ("reminder_1d:<event>:<start>:<participant>"): enqueueing twice is a
  -- no-op, so several schedulers and retried transactions never produce a second copy.
  dedupe_key text unique,
  -- Past this instant the mail is pointless (a "1 day before" reminder a few hours before): cancelled.
  expires_at timestamptz,
  -- Lease of a worker on a 'sending' job; a crashed worker's job is claimable again after it.
  locked_until timestamptz,
  locked_by text,
  message_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Claiming: due pending jobs in schedule order. Partial, so sent history does not slow it down.
create index email_queue_due_idx on email_queue (scheduled_at) where status = 'pending';
create index email_queue_lease_idx on email_queue (locked_until) where status = 'sending';
-- Progress counts and the failed list on the event page.
create index email_queue_event_idx on email_queue (event_id, type, status);
create index email_queue_participant_idx on email_queue (participant_id) where participant_id is not null;

-- A bulk send (reminders, thank-you, organizer summary) for one event: created once (unique key),
-- then expanded into email_queue jobs in chunks of 1,000, each chunk its own short transaction.
-- `cursor` is the last participant id queued, so an interrupted expansion resumes where it stopped.
create table email_schedule (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null,
  kind text not null check (kind in ('reminder_1d', 'reminder_3h', 'thank_you', 'organizer_summary')),
  -- The event start the reminder refers to: a rescheduled event gets its own reminders.
  event_start timestamptz not null,
  due_at timestamptz not null,
  expires_at timestamptz,
  status text not null default 'pending' check (status in ('pending', 'expanding', 'done', 'cancelled')),
  cursor text,
  total integer not null default 0,
  chunks integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (event_id, kind, event_start)
);
create index email_schedule_open_idx on email_schedule (due_at) where status in ('pending', 'expanding');
