import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckinSession } from '../../offline/checkin-session.ts';
import type { CheckinStatus, ParticipantRecord } from '../../offline/types.ts';
import styles from './checkin.module.css';

const ROW_HEIGHT = 76;
const OVERSCAN = 6;

type Props = {
  session: CheckinSession;
  items: readonly ParticipantRecord[];
  onCheckIn: (id: string) => void;
  onUndo: (id: string) => void;
};

/**
 * A windowed list: only the rows in view (plus a few) are in the DOM, so 5,000 participants cost the
 * same as 20 and a tap re-renders one row.
 */
export function ParticipantList({ session, items, onCheckIn, onUndo }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 600);
    measure();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(el);
    return () => observer?.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = items.slice(first, last);

  return (
    <div
      ref={scroller}
      className={styles.list}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="participant-list"
    >
      <ul style={{ height: items.length * ROW_HEIGHT, position: 'relative', margin: 0, padding: 0 }}>
        {rows.map((listed, i) => {
          // The list array is kept between membership changes; the record itself may be newer
          // (a registration cancelled or approved since).
          const p = session.participant(listed.id) ?? listed;
          return (
            <Row
              key={p.id}
              participant={p}
              status={session.statusOf(p.id)}
              admitted={p.registrationStatus === 'registered'}
              pending={session.isPending(p.id)}
              top={(first + i) * ROW_HEIGHT}
              onCheckIn={onCheckIn}
              onUndo={onUndo}
            />
          );
        })}
      </ul>
    </div>
  );
}

type RowProps = {
  participant: ParticipantRecord;
  status: CheckinStatus;
  /** Registered (a seat): only they can be checked in. */
  admitted: boolean;
  pending: boolean;
  top: number;
  onCheckIn: (id: string) => void;
  onUndo: (id: string) => void;
};

const Row = memo(function Row({
  participant: p,
  status,
  admitted,
  pending,
  top,
  onCheckIn,
  onUndo,
}: RowProps) {
  const { t } = useTranslation('checkin');
  const { t: td } = useTranslation('door');
  const checkedIn = status === 'checked_in';
  const number =
    p.registrationNumber === 0 ? td('row.walkIn') : `#${String(p.registrationNumber).padStart(3, '0')}`;
  return (
    <li
      className={!admitted ? styles.rowOff : checkedIn ? styles.rowDone : styles.row}
      style={{ top, height: ROW_HEIGHT }}
      data-testid="participant-row"
      data-participant-id={p.id}
      data-status={status}
      data-registration={p.registrationStatus}
      data-pending={pending ? 'true' : 'false'}
    >
      <div className={styles.who}>
        <span className={styles.name}>{p.name}</span>
        <span className={styles.meta}>
          {number}
          {p.email ? ` · ${p.email}` : ''}
        </span>
        {admitted && checkedIn && (
          // Undo sits under the name, away from where the 체크인 button was a moment ago, and asks first.
          <button
            type="button"
            className={styles.undoLink}
            onClick={() => onUndo(p.id)}
            aria-label={t('action.undoFor', { name: p.name })}
            data-testid="undo-button"
          >
            {td('undo.button')}
          </button>
        )}
      </div>
      {!admitted ? (
        <span className={styles.notAdmitted} data-testid="row-registration">
          {td(`registration.${p.registrationStatus}`, { defaultValue: p.registrationStatus })}
          <span className={styles.badge}> · {td('row.notAdmitted')}</span>
        </span>
      ) : (
        <span className={styles.badge} data-testid="row-status">
          {pending && <span title={t('status.pendingHint')}>{t('status.pending')}</span>}
        </span>
      )}
      {!admitted ? null : checkedIn ? (
        <span className={`${styles.action} ${styles.doneMark}`} data-testid="checked-mark">
          {td('row.checkedIn')}
        </span>
      ) : (
        <button
          type="button"
          className={`btn btn-primary ${styles.action}`}
          onClick={() => onCheckIn(p.id)}
          aria-label={t('action.checkInFor', { name: p.name })}
          data-testid="checkin-button"
        >
          {t('action.checkIn')}
        </button>
      )}
    </li>
  );
});
