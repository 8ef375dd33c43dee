import { inviteStaffBodySchema } from '@eventmanager/domain/events/schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useInviteStaff, useStaff } from '../../api/events.ts';
import { ApiError } from '../../api/problem.ts';
import { Field } from '../../ui/Field.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import { PlanLimitHint } from '../billing/PlanLimitHint.tsx';

/** Invite another registered user as door staff (they may see participants and check people in). */
export function StaffCard({ eventId }: { eventId: string }) {
  const { t } = useTranslation('events');
  const staff = useStaff(eventId);
  const invite = useInviteStaff(eventId);
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    const parsed = inviteStaffBodySchema.safeParse({ email, role: 'staff' });
    if (!parsed.success) return setError(t('common:validation.email'));
    setError(undefined);
    invite.mutate(parsed.data, {
      onSuccess: () => {
        setDone(t('detail.staffInvited', { email: parsed.data.email }));
        setEmail('');
      },
      onError: (err) => {
        if (err instanceof ApiError && err.status === 404) setError(t('detail.staffNoAccount'));
        else if (err instanceof ApiError && err.status === 409) setError(t('detail.staffAlready'));
        else setError(errorMessage(err));
      },
    });
  };

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
            </li>
          ))}
        </ul>
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
