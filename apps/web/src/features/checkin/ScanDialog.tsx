import QrScanner from 'qr-scanner';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import { ticketCodeFromScan } from '../../offline/participant-search.ts';
import styles from './checkin.module.css';
import { feedback } from './feedback.ts';
import { ScanGate } from './scan-gate.ts';

type Outcome =
  | { kind: 'checked_in'; name: string }
  | { kind: 'already'; name: string; at: number | null; device: string | null; own: boolean }
  | { kind: 'not_admitted'; name: string; status: string }
  | { kind: 'not_found'; code: string }
  | { kind: 'camera_error' };

/**
 * Camera QR scanning. The ticket is looked up in the offline cache, so scanning works with no network;
 * a code typed by hand takes the same path (for a torn or unreadable ticket).
 */
export function ScanDialog({ session, onClose }: { session: CheckinSession; onClose: () => void }) {
  const { t, i18n } = useTranslation('checkin');
  const { t: td } = useTranslation('door');
  const video = useRef<HTMLVideoElement>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [manual, setManual] = useState('');
  const gate = useRef(new ScanGate());
  /** Sightings of the same presentation since the last result (shown to tests, not to people). */
  const [repeats, setRepeats] = useState(0);

  /** A camera sighting: acted on once per presentation of the ticket. */
  const scanned = (raw: string) => {
    const code = ticketCodeFromScan(raw);
    if (gate.current.admit(code, Date.now())) {
      setRepeats(0);
      void handle(code);
    } else setRepeats((n) => n + 1);
  };

  /** A ticket to act on: from the camera (once per presentation) or typed by hand (every time). */
  const handle = async (raw: string) => {
    const code = ticketCodeFromScan(raw);
    let p = session.findByTicketCode(code);
    if (!p && session.online) {
      // Registered after our snapshot? Live registrations carry no ticket code: refresh once.
      await session.reloadSnapshot();
      p = session.findByTicketCode(code);
    }
    if (!p) {
      feedback.notFound();
      setOutcome({ kind: 'not_found', code });
      return;
    }
    if (!session.isAdmitted(p.id)) {
      feedback.notFound();
      setOutcome({ kind: 'not_admitted', name: p.name, status: p.registrationStatus });
      return;
    }
    if (session.statusOf(p.id) === 'checked_in') {
      feedback.undone();
      const info = session.checkinInfo(p.id);
      setOutcome({
        kind: 'already',
        name: p.name,
        at: info?.at ?? null,
        device: info?.own ? td('scan.thisDevice') : (info?.deviceName ?? null),
        own: info?.own ?? false,
      });
      return;
    }
    session.checkIn(p.id);
    feedback.checkedIn();
    setOutcome({ kind: 'checked_in', name: p.name });
  };
  const scannedRef = useRef(scanned);
  scannedRef.current = scanned;

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    const scanner = new QrScanner(el, (result) => scannedRef.current(result.data), {
      returnDetailedScanResult: true,
      maxScansPerSecond: 10,
    });
    scanner.start().catch(() => setOutcome({ kind: 'camera_error' }));
    return () => {
      scanner.stop();
      scanner.destroy();
    };
  }, []);

  return (
    <div className={styles.scanOverlay} role="dialog" aria-modal="true" aria-labelledby="scan-title">
      <div className={styles.scanBox}>
        <h2 id="scan-title">{t('scan.title')}</h2>
        <video ref={video} className={styles.video} muted playsInline />
        <div
          aria-live="assertive"
          data-testid="scan-result"
          data-kind={outcome?.kind ?? ''}
          data-repeats={repeats}
        >
          {outcome?.kind === 'checked_in' && (
            <p className={styles.scanOk}>{t('scan.checkedIn', { name: outcome.name })}</p>
          )}
          {outcome?.kind === 'already' && (
            <p className={styles.scanWarn}>
              {t('scan.already', { name: outcome.name })}
              <br />
              <span data-testid="scan-already-detail">
                {td('scan.alreadyDetail', {
                  time:
                    outcome.at === null
                      ? '—'
                      : new Intl.DateTimeFormat(i18n.language, { hour: '2-digit', minute: '2-digit' }).format(
                          outcome.at,
                        ),
                  device: outcome.device ?? td('scan.unknownDevice'),
                })}
              </span>
            </p>
          )}
          {outcome?.kind === 'not_admitted' && (
            <p className={styles.scanBad}>
              {td('scan.notAdmitted', {
                name: outcome.name,
                status: td(`registration.${outcome.status}`, { defaultValue: outcome.status }),
              })}
            </p>
          )}
          {outcome?.kind === 'not_found' && <p className={styles.scanBad}>{t('scan.notFound')}</p>}
          {outcome?.kind === 'camera_error' && <p className={styles.scanBad}>{t('scan.cameraError')}</p>}
        </div>
        <form
          className={styles.manual}
          onSubmit={(e) => {
            e.preventDefault();
            if (manual.trim()) void handle(manual);
            setManual('');
          }}
        >
          <label htmlFor="ticket-code">{t('scan.manualLabel')}</label>
          <input
            id="ticket-code"
            value={manual}
            onChange={(e) => setManual(e.target.value)}
            autoComplete="off"
          />
          <button type="submit" className="btn btn-secondary">
            {t('scan.manualSubmit')}
          </button>
        </form>
        <button type="button" className="btn btn-primary" onClick={onClose} data-testid="scan-close">
          {t('scan.close')}
        </button>
      </div>
    </div>
  );
}
