import type { MessageAudience } from '@eventmanager/domain/participants/desk.schema';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMessageRecipients, useSendMessage } from '../../api/desk.ts';
import { formatNumber } from '../../i18n/format.ts';
import { Modal } from '../../ui/Modal.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import styles from './participants.module.css';

/**
 * A message from the organizer to the chosen people or to everyone the filters match (never the
 * cancelled or rejected unless filtered for): subject and body, the number of recipients, a preview
 * of the e-mail, then one e-mail each through the e-mail queue (progress on the event's e-mail panel).
 */
export function MessageDialog({
  eventId,
  eventName,
  audience,
  audienceLabel,
  onClose,
}: {
  eventId: string;
  eventName: string;
  audience: MessageAudience;
  audienceLabel: string;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('desk');
  const recipients = useMessageRecipients(eventId, audience);
  const send = useSendMessage(eventId);
  const errorMessage = useErrorMessage();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState(false);
  // One id per composed message: a retried send queues nothing twice.
  const [messageId] = useState(() => crypto.randomUUID());
  const count = recipients.data?.recipients;
  const ready = subject.trim() !== '' && body.trim() !== '' && (count ?? 0) > 0;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    send.mutate({ subject, body, audience, message_id: messageId });
  };

  return (
    <Modal labelledBy="message-title" onClose={onClose} className={styles.dialog}>
      <form className="stack" onSubmit={submit}>
        <h2 id="message-title">{t('message.title')}</h2>
        <p className="small" data-testid="message-recipients">
          {audienceLabel} ·{' '}
          {count === undefined
            ? t('message.counting')
            : t('message.recipients', { count, n: formatNumber(count, i18n.language) })}
        </p>
        {send.isSuccess ? (
          <>
            <p role="status" data-testid="message-sent">
              {t('message.sent', { n: formatNumber(send.data.queued, i18n.language) })}
            </p>
            <button type="button" className="btn" onClick={onClose}>
              {t('common:action.close')}
            </button>
          </>
        ) : (
          <>
            <label className="field">
              <span className="label">{t('message.subject')}</span>
              <input
                className="input"
                maxLength={200}
                value={subject}
                onChange={(e) => setSubject(e.target.value)}
                required
              />
            </label>
            <label className="field">
              <span className="label">{t('message.body')}</span>
              <textarea
                className="input"
                rows={7}
                maxLength={10000}
                value={body}
                onChange={(e) => setBody(e.target.value)}
                required
              />
            </label>
            <p className="muted small">{t('message.hint')}</p>
            {preview && (
              <section
                className={styles.preview}
                data-testid="message-preview"
                aria-label={t('message.preview')}
              >
                <p className="small muted">
                  {t('message.previewSubject')}: [{eventName}] {subject}
                </p>
                <h3>{subject}</h3>
                <p>{t('message.greeting')}</p>
                {body
                  .split(/\n\s*\n/)
                  .map((para) => para.trim())
                  .filter(Boolean)
                  .map((para) => (
                    <p key={para}>{para}</p>
                  ))}
              </section>
            )}
            {send.isError && (
              <p className="alert small" role="alert">
                {errorMessage(send.error)}
              </p>
            )}
            <div className="row">
              <button type="button" className="btn btn-ghost" onClick={onClose}>
                {t('common:action.cancel')}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                onClick={() => setPreview((v) => !v)}
                aria-pressed={preview}
              >
                {t('message.preview')}
              </button>
              <button type="submit" className="btn" style={{ flex: 1 }} disabled={!ready || send.isPending}>
                {count === undefined
                  ? t('message.send')
                  : t('message.sendTo', { count, n: formatNumber(count, i18n.language) })}
              </button>
            </div>
          </>
        )}
      </form>
    </Modal>
  );
}
