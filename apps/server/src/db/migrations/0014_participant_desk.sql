-- The organizer's desk: notes and tags per participant, and each registration status change.

-- Organizer-only annotations (never in staff views or the offline cache). One row per annotated
-- participant; tags are short labels the organizer filters by ("VIP", "연사").
create table participant_annotations (
  participant_id uuid primary key references participants (id) on delete cascade,
  event_id uuid not null references events (id) on delete cascade,
  note text not null default '',
  tags text[] not null default '{}',
  updated_by uuid references users (id) on delete set null,
  updated_at timestamptz not null default now()
);
create index participant_annotations_event_idx on participant_annotations (event_id);

-- Every registration status change (approve, reject, cancel, promote, restore), written in the
-- transaction that made it. The first status is the registration itself (participants keep it
-- until the first change, whose `from_status` it is).
create table participant_status_history (
  id uuid primary key default gen_random_uuid(),
  event_id uuid not null references events (id) on delete cascade,
  participant_id uuid not null references participants (id) on delete cascade,
  from_status text not null,
  to_status text not null,
  reason text not null,
  changed_at timestamptz not null
);
create index participant_status_history_participant_idx
  on participant_status_history (participant_id, changed_at);

-- Notifications: a message the organizer writes to (some of) the participants is a mail type too.
alter table email_queue drop constraint email_queue_type_check;
alter table email_queue add constraint email_queue_type_check check (type in (
  'registration_confirmation', 'waitlist_promotion', 'registration_approved', 'registration_rejected',
  'registration_cancelled', 'registration_restored',
  'reminder_1d', 'reminder_3h', 'thank_you', 'deletion_confirmation', 'organizer_summary',
  'email_verification', 'password_reset', 'staff_invitation',
  'organizer_message'
));
