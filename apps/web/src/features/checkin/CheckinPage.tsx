import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePhoneSearch } from '../../api/desk.ts';
import { useEvent } from '../../api/events.ts';
import { matches } from '../../offline/participant-search.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { ErrorState, Loading } from '../../ui/states.tsx';
import { ActivityList } from './ActivityList.tsx';
import styles from './checkin.module.css';
import { DeviceName } from './DeviceName.tsx';
import { feedback } from './feedback.ts';
import { ParticipantList } from './ParticipantList.tsx';
import { ReloadBanner } from './ReloadBanner.tsx';
import { ScanDialog } from './ScanDialog.tsx';
import { SyncBanners } from './SyncBanners.tsx';
import { preloadScanner } from './scanner-preload.ts';
import { useCheckinSession } from './use-checkin-session.ts';
import { WalkInDialog } from './WalkInDialog.tsx';

type Filter = 'all' | 'waiting' | 'checked_in';

/** The door screen: search or scan, one tap to check in or undo, live from every device. */
export function CheckinPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('checkin');
  const { t: td } = useTranslation('door');
  const { session, error } = useCheckinSession(id);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [scanning, setScanning] = useState(false);
  const [walkIn, setWalkIn] = useState(false);
  const [undoing, setUndoing] = useState<string | null>(null);
  const deferredQuery = useDeferredValue(query);
  // The cache holds masked phones; digits behind the mask ("010-2345") are matched by the server.
  const phoneMatches = usePhoneSearch(id, deferredQuery);
  useEffect(() => {
    feedback.prepare();
    preloadScanner();
  }, []);
  // The event's form, read when online and kept on the device: walk-ins ask its questions offline.
  const event = useEvent(id);
  const formFields = event.data?.registration.form_fields;
  useEffect(() => {
    if (session && formFields) session.rememberFormFields(formFields);
  }, [session, formFields]);

  const all = session?.participants();
  // Depends on the membership array, the query and the filter — not on every check-in — except when
  // filtering by status, where the list must follow the taps.
  const statusKey = filter === 'all' ? 0 : (session?.revision ?? 0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: statusKey re-filters on status changes only when a status filter is on
  const visible = useMemo(() => {
    if (!session || !all) return [];
    return all.filter((p) => {
      const key = session.searchKey(p.id);
      if (!key || !(matches(key, deferredQuery) || phoneMatches?.has(p.id))) return false;
      if (filter === 'waiting') return session.statusOf(p.id) !== 'checked_in' && session.isAdmitted(p.id);
      if (filter === 'checked_in') return session.statusOf(p.id) === 'checked_in';
      return true;
    });
  }, [session, all, deferredQuery, phoneMatches, filter, statusKey]);

  if (error) return <ErrorState error={error} />;
  if (!session?.loaded) return <Loading />;

  const { checkedIn, registered } = session.counters;
  const empty = session.participants().length === 0;

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <div className={styles.counter} data-testid="checkin-counter" aria-live="polite">
          <strong data-testid="checked-in-count">{checkedIn}</strong>
          <span> / {registered}</span>
          <span className={styles.counterLabel}>{t('counter.label')}</span>
        </div>
        <DeviceName session={session} />
      </header>

      <ReloadBanner session={session} />
      <SyncBanners session={session} />

      <div className={styles.tools}>
        <input
          type="search"
          className={styles.search}
          placeholder={t('search.placeholder')}
          aria-label={t('search.label')}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="checkin-search"
          autoComplete="off"
          enterKeyHint="search"
        />
        <button
          type="button"
          className={`btn btn-primary ${styles.scanButton}`}
          onClick={() => setScanning(true)}
          data-testid="scan-button"
        >
          {t('scan.open')}
        </button>
      </div>
      <fieldset className={styles.filters} aria-label={t('filter.label')}>
        {(['all', 'waiting', 'checked_in'] as const).map((f) => (
          <button
            key={f}
            type="button"
            className={filter === f ? styles.filterOn : styles.filter}
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {t(`filter.${f}`)}
          </button>
        ))}
        <button
          type="button"
          className={`btn btn-secondary btn-sm ${styles.walkInButton}`}
          onClick={() => setWalkIn(true)}
          data-testid="walk-in-button"
        >
          {td('walkIn.open')}
        </button>
      </fieldset>

      {empty ? (
        <p className="muted" data-testid="checkin-empty">
          {session.hasSnapshot ? t('list.noParticipants') : t('list.needsFirstLoad')}
        </p>
      ) : visible.length === 0 ? (
        <p className="muted">{t('list.noMatch')}</p>
      ) : (
        <ParticipantList
          session={session}
          items={visible}
          onCheckIn={(pid) => {
            session.checkIn(pid);
            feedback.checkedIn();
          }}
          onUndo={(pid) => setUndoing(pid)}
        />
      )}

      <ConfirmDialog
        open={undoing !== null}
        title={td('undo.title', { name: undoing ? (session.participant(undoing)?.name ?? '') : '' })}
        body={td('undo.body')}
        confirmLabel={td('undo.confirm')}
        danger
        onConfirm={() => {
          if (undoing) {
            session.undoCheckIn(undoing);
            feedback.undone();
          }
          setUndoing(null);
        }}
        onCancel={() => setUndoing(null)}
      />
      {walkIn && <WalkInDialog session={session} onClose={() => setWalkIn(false)} />}

      <ActivityList session={session} />

      {scanning && <ScanDialog session={session} onClose={() => setScanning(false)} />}
    </div>
  );
}
