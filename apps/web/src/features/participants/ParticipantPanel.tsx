import type { Event } from '@eventmanager/domain/events/schema';
import type { BulkAction } from '@eventmanager/domain/participants/desk.schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBulkAction, useParticipantDetail, useRevealPhone, useSaveAnnotation } from '../../api/desk.ts';
import { usePatchParticipant } from '../../api/participants.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Modal } from '../../ui/Modal.tsx';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import styles from './participants.module.css';
import { answerColumns, answerText, shortDateTime } from './table-model.ts';

type PanelAction = 'approve' | 'reject' | 'promote' | 'cancel' | 'restore' | 'resend';

/**
 * Everything the desk needs about one participant: every answer (retired questions too), the phone
 * masked with a logged reveal, status history, check-ins with the device of each, the e-mails sent,
 * the organizer's note and tags, and the actions (approve, reject, promote, cancel, restore, resend
 * the confirmation, edit). Staff see the record without notes, e-mails or actions.
 */
export function ParticipantPanel({
  event,
  participantId,
  isOrganizer,
  onEdit,
  onClose,
}: {
  event: Event;
  participantId: string;
  isOrganizer: boolean;
  onEdit: () => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation(['desk', 'participants']);
  const detail = useParticipantDetail(event.id, participantId);
  const reveal = useRevealPhone(event.id);
  const patch = usePatchParticipant(event.id);
  const bulk = useBulkAction(event.id);
  const errorMessage = useErrorMessage();
  const [phone, setPhone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<PanelAction | null>(null);
  const [notice, setNotice] = useState<string>();
  const when = (iso: string) => shortDateTime(iso, i18n.language, event.datetime.timezone);
  const yesNo = { yes: t('yes'), no: t('no') };

  // A revealed phone and a notice belong to the participant they were for.
  const [shownFor, setShownFor] = useState(participantId);
  if (shownFor !== participantId) {
    setShownFor(participantId);
    setPhone(null);
    setNotice(undefined);
  }

  const run = (action: PanelAction) => {
    setNotice(undefined);
    const done = () => {
      setNotice(t(`done.${action}`));
      void detail.refetch();
    };
    if (action === 'restore') {
      patch.mutate({ id: participantId, body: { status: 'registered' } }, { onSuccess: done });
      return;
    }
    const bulkAction: BulkAction = action === 'resend' ? 'resend_confirmation' : action;
    bulk.mutate(
      { ids: [participantId], action: bulkAction },
      {
        onSuccess: (res) => {
          const r = res.results[0];
          if (r?.ok) done();
          else
            setNotice(t('refused', { code: r?.code ? t(`codes.${r.code}`, { defaultValue: r.code }) : '' }));
        },
      },
    );
  };

  const p = detail.data?.participant;
  const status = p?.registration.status;
  const actions: PanelAction[] = !status
    ? []
    : status === 'pending'
      ? ['approve', 'reject', 'cancel', 'resend']
      : status === 'waitlist'
        ? ['promote', 'cancel', 'resend']
        : status === 'registered'
          ? ['cancel', 'resend']
          : status === 'cancelled'
            ? ['restore']
            : [];
  const error = patch.error ?? bulk.error;

  return (
    <Modal labelledBy="panel-title" onClose={onClose} className={styles.panel}>
      <div className="stack" data-testid="participant-panel">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h2 id="panel-title" style={{ margin: 0 }}>
            {p ? `#${String(p.registration.number).padStart(3, '0')} ${p.identity.name}` : t('loading')}
          </h2>
          <button type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
            {t('common:action.close')}
          </button>
        </div>
        {detail.isPending ? (
          <Loading />
        ) : detail.isError ? (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        ) : (
          p &&
          detail.data && (
            <>
              <div className="row" style={{ flexWrap: 'wrap', gap: 6 }}>
                <span className={`badge badge-${p.registration.status}`} data-testid="panel-status">
                  {t(`participants:status.${p.registration.status}`)}
                </span>
                <span className="muted small">{t(`participants:checkin.${p.checkin.status}`)}</span>
              </div>

              {isOrganizer && (
                <div className={styles.panelActions}>
                  {actions.map((a) => (
                    <button
                      key={a}
                      type="button"
                      className={
                        a === 'cancel' || a === 'reject' ? 'btn btn-ghost btn-sm' : 'btn btn-secondary btn-sm'
                      }
                      disabled={bulk.isPending || patch.isPending}
                      onClick={() => (a === 'cancel' || a === 'reject' ? setConfirm(a) : run(a))}
                    >
                      {t(`action.${a}`)}
                    </button>
                  ))}
                  <button type="button" className="btn btn-secondary btn-sm" onClick={onEdit}>
                    {t('action.edit')}
                  </button>
                </div>
              )}
              {notice && (
                <p className="small" role="status">
                  {notice}
                </p>
              )}
              {error && (
                <p className="alert small" role="alert">
                  {errorMessage(error)}
                </p>
              )}

              <section aria-labelledby="panel-contact">
                <h3 id="panel-contact" className={styles.panelHeading}>
                  {t('section.contact')}
                </h3>
                <dl className={styles.facts}>
                  <dt>{t('col.email')}</dt>
                  <dd>{p.identity.email}</dd>
                  <dt>{t('col.phone')}</dt>
                  <dd>
                    <span data-testid="panel-phone">{phone ?? p.identity.phone ?? t('none')}</span>
                    {isOrganizer && p.identity.phone && phone === null && (
                      <button
                        type="button"
                        className="btn btn-ghost btn-sm"
                        onClick={() => reveal.mutate(participantId, { onSuccess: (v) => setPhone(v) })}
                      >
                        {t('revealPhone')}
                      </button>
                    )}
                  </dd>
                  <dt>{t('col.registered')}</dt>
                  <dd>
                    {when(p.registration.timestamp)} · {t(`source.${p.registration.source}`)}
                  </dd>
                  <dt>{t('language')}</dt>
                  <dd>{p.language === 'ko' ? '한국어' : 'English'}</dd>
                </dl>
                {isOrganizer && p.identity.phone && phone === null && (
                  <p className="muted small">{t('revealLogged')}</p>
                )}
              </section>

              <section aria-labelledby="panel-answers">
                <h3 id="panel-answers" className={styles.panelHeading}>
                  {t('section.answers')}
                </h3>
                <dl className={styles.facts}>
                  {answerColumns(event.registration.form_fields, event.registration.retired_form_fields).map(
                    (c) => (
                      <div key={c.id} style={{ display: 'contents' }}>
                        <dt>{c.retired ? t('retiredLabel', { label: c.label }) : c.label}</dt>
                        <dd>{answerText(p.custom_responses[c.id], yesNo) || t('none')}</dd>
                      </div>
                    ),
                  )}
                </dl>
              </section>

              {isOrganizer && detail.data.annotation && (
                <AnnotationEditor
                  eventId={event.id}
                  participantId={participantId}
                  note={detail.data.annotation.note}
                  tags={detail.data.annotation.tags}
                />
              )}

              <section aria-labelledby="panel-status-history">
                <h3 id="panel-status-history" className={styles.panelHeading}>
                  {t('section.statusHistory')}
                </h3>
                <ol className={styles.timeline} data-testid="status-history">
                  {detail.data.status_history.map((h) => (
                    <li key={`${h.at}-${h.to}-${h.reason}`}>
                      <span className="small muted">{when(h.at)}</span>{' '}
                      {t(`reason.${h.reason}`, { defaultValue: h.reason })} →{' '}
                      <strong>{t(`participants:status.${h.to}`)}</strong>
                    </li>
                  ))}
                </ol>
              </section>

              <section aria-labelledby="panel-checkins">
                <h3 id="panel-checkins" className={styles.panelHeading}>
                  {t('section.checkins')}
                </h3>
                {detail.data.checkin_history.length === 0 ? (
                  <p className="muted small">{t('noCheckins')}</p>
                ) : (
                  <ol className={styles.timeline} data-testid="checkin-history">
                    {detail.data.checkin_history.map((c) => (
                      <li key={c.id}>
                        <span className="small muted">{when(c.at)}</span> {t(`checkinAction.${c.action}`)} ·{' '}
                        <strong>{c.device_name}</strong>
                        {c.conflict_resolved && <span className="muted small"> · {t('conflict')}</span>}
                      </li>
                    ))}
                  </ol>
                )}
              </section>

              {detail.data.emails && (
                <section aria-labelledby="panel-emails">
                  <h3 id="panel-emails" className={styles.panelHeading}>
                    {t('section.emails')}
                  </h3>
                  {detail.data.emails.length === 0 ? (
                    <p className="muted small">{t('noEmails')}</p>
                  ) : (
                    <ol className={styles.timeline} data-testid="email-history">
                      {detail.data.emails.map((m) => (
                        <li key={m.id}>
                          <span className="small muted">{when(m.sent_at ?? m.scheduled_at)}</span>{' '}
                          {m.subject ?? t(`notifications:type.${m.type}`, { defaultValue: m.type })} ·{' '}
                          <span className={m.status === 'failed' ? 'text-danger' : 'muted'}>
                            {t(`mailStatus.${m.status}`)}
                          </span>
                        </li>
                      ))}
                    </ol>
                  )}
                </section>
              )}
            </>
          )
        )}
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? t(`confirm.${confirm}`, { name: p?.identity.name ?? '' }) : ''}
        body={confirm === 'cancel' ? t('participants:cancelBody') : undefined}
        confirmLabel={confirm ? t(`action.${confirm}`) : ''}
        danger
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (confirm) run(confirm);
          setConfirm(null);
        }}
      />
    </Modal>
  );
}

/** The organizer's note and tags (comma separated) for one participant; saved as a whole. */
function AnnotationEditor({
  eventId,
  participantId,
  note: initialNote,
  tags: initialTags,
}: {
  eventId: string;
  participantId: string;
  note: string;
  tags: string[];
}) {
  const { t } = useTranslation('desk');
  const save = useSaveAnnotation(eventId, participantId);
  const errorMessage = useErrorMessage();
  const [note, setNote] = useState(initialNote);
  const [tags, setTags] = useState(initialTags.join(', '));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      note,
      tags: tags
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    });
  };
  return (
    <section aria-labelledby="panel-notes">
      <h3 id="panel-notes" className={styles.panelHeading}>
        {t('section.notes')}
      </h3>
      <form className="stack" style={{ gap: 8 }} onSubmit={submit}>
        <label className="field">
          <span className="label">{t('note')}</span>
          <textarea
            className="input"
            rows={3}
            maxLength={5000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="label">{t('tags')}</span>
          <input
            className="input"
            value={tags}
            placeholder={t('tagsPlaceholder')}
            onChange={(e) => setTags(e.target.value)}
          />
        </label>
        <div className="row">
          <button type="submit" className="btn btn-secondary btn-sm" disabled={save.isPending}>
            {t('saveNotes')}
          </button>
          {save.isSuccess && (
            <span className="small muted" role="status">
              {t('saved')}
            </span>
          )}
          {save.isError && (
            <span className="small alert" role="alert">
              {errorMessage(save.error)}
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
