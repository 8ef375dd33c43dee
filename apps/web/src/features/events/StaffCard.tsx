import { inviteStaffBodySchema } from '@eventmanager/domain/events/schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useRemoveStaff,
  useResendInvitation,
  useRevokeInvitation,
  useStaffInvitations,
} from '../../api/account.ts';
import { useInviteStaff, useStaff } from '../../api/events.ts';
import { ApiError } from '../../api/problem.ts';
import { formatEventDateTime } from '../../i18n/format.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { PlanLimitHint } from '../billing/PlanLimitHint.tsx';

/**
 * Door staff: invite an address (the person accepts the e-mailed link with that confirmed address,
 * then may see participants and check people in), follow pending invitations (resend, revoke), and
 * remove staff (their access ends at once, open screens included).
 */
export function StaffCard({ eventId, timeZone }: { eventId: string; timeZone: string }) {
  const { t, i18n } = useTranslation('events');
  const staff = useStaff(eventId);
  const invitations = useStaffInvitations(eventId);
  const invite = useInviteStaff(eventId);
  const resend = useResendInvitation(eventId);
  const revoke = useRevokeInvitation(eventId);
  const remove = useRemoveStaff(eventId);
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const actionError = resend.error ?? revoke.error ?? remove.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    const parsed = inviteStaffBodySchema.safeParse({ email, role: 'staff' });
    if (!parsed.success) return setError(t('common:validation.email'));
    setError(undefined);
    invite.mutate(parsed.data, {
      onSuccess: () => {
        setDone(t('account:staff.invited', { email: parsed.data.email }));
        setEmail('');
      },
      onError: (err) => {
        if (err instanceof ApiError && err.status === 409) setError(t('detail.staffAlready'));
        else setError(errorMessage(err));
      },
    });
  };

  const pending = invitations.data ?? [];
  return (
    <section className="card stack" aria-labelledby="staff-title">
      <h2 id="staff-title">{t('detail.staff')}</h2>
      <p className="muted small">{t('detail.staffHint')}</p>
      <PlanLimitHint limit="staff_per_event" used={staff.data?.length ?? 0} />
      {staff.data && staff.data.length > 0 && (
        <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {staff.data.map((s) => (
            <li key={s.user_id} className="row">
              <strong>{s.name}</strong>
              <span className="muted small">{s.email}</span>
              <span className="spacer" />
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm(t('account:staff.removeConfirm', { name: s.name })))
                    remove.mutate(s.user_id);
                }}
              >
                {t('account:staff.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {pending.length > 0 && (
        <div className="stack" data-testid="staff-invitations">
          <h3 className="small">{t('account:staff.pending')}</h3>
          <ul className="stack" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {pending.map((inv) => {
              const expired = Date.parse(inv.expires_at) <= Date.now();
              return (
                <li key={inv.id} className="row" style={{ flexWrap: 'wrap' }}>
                  <span>{inv.email}</span>
                  <span className="muted small">
                    {expired
                      ? t('account:staff.expired')
                      : t('account:staff.expires', {
                          date: formatEventDateTime(inv.expires_at, timeZone, i18n.language),
                        })}
                  </span>
                  <span className="spacer" />
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    disabled={resend.isPending}
                    onClick={() => resend.mutate(inv.id)}
                  >
                    {t('account:staff.resend')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(inv.id)}
                  >
                    {t('account:staff.revoke')}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {actionError && (
        <p className="alert small" role="alert">
          {errorMessage(actionError)}
        </p>
      )}
      <form className="stack" onSubmit={submit} noValidate>
        <Field label={t('detail.staffEmail')} error={error}>
          {(p) => <input {...p} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        {done && (
          <p className="alert alert-success small" role="status">
            {done}
          </p>
        )}
        <button type="submit" className="btn btn-secondary" disabled={invite.isPending}>
          {t('detail.staffInvite')}
        </button>
      </form>
    </section>
  );
}
