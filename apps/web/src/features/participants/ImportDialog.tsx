import type { ImportResult } from '@eventmanager/domain/participants/participant.schema';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eventKeys } from '../../api/events.ts';
import { importCsvInChunks, participantKeys } from '../../api/participants.ts';
import { Modal } from '../../ui/Modal.tsx';
import { useErrorMessage } from '../../ui/states.tsx';
import styles from './participants.module.css';

/** CSV import with a progress bar (the file goes up in chunks) and a result for every row. */
export function ImportDialog({ eventId, onClose }: { eventId: string; onClose: () => void }) {
  const { t } = useTranslation('participants');
  const qc = useQueryClient();
  const errorMessage = useErrorMessage();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string>();
  // Imported people get the same confirmation e-mail as a registration, unless the organizer says no.
  const [notify, setNotify] = useState(true);
  const running = progress !== null && result === null && !error;

  const run = async (file: File) => {
    setResult(null);
    setError(undefined);
    setProgress({ done: 0, total: 0 });
    try {
      const text = await file.text();
      const res = await importCsvInChunks(eventId, text, (done, total) => setProgress({ done, total }), {
        notify,
      });
      setResult(res);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      void qc.invalidateQueries({ queryKey: participantKeys.all(eventId) });
      void qc.invalidateQueries({ queryKey: eventKeys.detail(eventId) });
    }
  };

  const problems = result?.rows.filter((r) => r.outcome !== 'created') ?? [];

  return (
    <Modal labelledBy="import-title" onClose={onClose} className={styles.dialog}>
      <div className="stack">
        <h2 id="import-title">{t('import.title')}</h2>
        <p className="muted small">{t('import.hint')}</p>
        <p className="small" data-testid="import-notify-note">
          {notify ? t('desk:import.willNotify') : t('desk:import.willNotNotify')}
        </p>
        <label className="row small" style={{ gap: 8 }}>
          <input
            type="checkbox"
            checked={notify}
            disabled={running}
            onChange={(e) => setNotify(e.target.checked)}
            data-testid="import-notify"
          />
          {t('desk:import.notify')}
        </label>
        <label className="field">
          <span className="label">{t('import.file')}</span>
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={running}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void run(file);
            }}
          />
        </label>
        {progress && (
          <div className="stack" style={{ gap: 4 }}>
            <progress
              className={styles.progress}
              max={Math.max(progress.total, 1)}
              value={progress.done}
              aria-label={t('import.progress')}
            />
            <span className="small muted" aria-live="polite">
              {t('import.progressText', { done: progress.done, total: progress.total })}
            </span>
          </div>
        )}
        {error && (
          <p className="alert" role="alert">
            {error}
          </p>
        )}
        {result && (
          <div className="stack" role="status">
            <p>
              {t('import.summary', {
                created: result.created,
                duplicates: result.duplicates,
                invalid: result.invalid,
                refused: result.refused,
              })}
            </p>
            {problems.length > 0 && (
              <div className={styles.results}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('import.row')}</th>
                      <th scope="col">{t('import.outcome')}</th>
                      <th scope="col">{t('import.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {problems.map((r) => (
                      <tr key={r.row}>
                        <td>{r.row}</td>
                        <td>{t(`import.outcomes.${r.outcome}`)}</td>
                        <td>
                          {r.reason ?? r.errors?.map((e) => `${e.path}: ${e.message}`).join(', ') ?? ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
        <button type="button" className="btn btn-secondary" onClick={onClose} disabled={running}>
          {t('common:action.close')}
        </button>
      </div>
    </Modal>
  );
}
