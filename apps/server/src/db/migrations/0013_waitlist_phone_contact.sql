-- Events: the built-in phone field's setting on the registration form (not asked, optional or
-- required) and the organizer's public contact (shown on the public page; its e-mail is the
-- Reply-To of participant e-mails).
alter table events add column phone_field text not null default 'optional'
  check (phone_field in ('off', 'optional', 'required'));
alter table events add column contact jsonb;

-- Notifications: the participant is told when the organizer cancels or restores a registration.
alter table email_queue drop constraint email_queue_type_check;
alter table email_queue add constraint email_queue_type_check check (type in (
  'registration_confirmation', 'waitlist_promotion', 'registration_approved', 'registration_rejected',
  'registration_cancelled', 'registration_restored',
  'reminder_1d', 'reminder_3h', 'thank_you', 'deletion_confirmation', 'organizer_summary',
  'email_verification', 'password_reset', 'staff_invitation'
));

-- Events: the cover image, resized by the server and kept in the object storage (local folder or
-- S3-compatible bucket): `{key, width, height}`.
alter table events add column cover_image jsonb;
