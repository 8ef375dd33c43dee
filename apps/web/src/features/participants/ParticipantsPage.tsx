import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { downloadFile } from '../../api/client.ts';
import { useEvent, useEventSummary } from '../../api/events.ts';
import { useCancelParticipant, useParticipants, usePatchParticipant } from '../../api/participants.ts';
import { formatNumber } from '../../i18n/format.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { EmptyState, ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { AddParticipantDialog } from './AddParticipantDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import styles from './participants.module.css';
import { filterParticipants, type ListFilters } from './search.ts';

const ROW_HEIGHT = 72;

export function ParticipantsPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation('participants');
  const event = useEvent(id);
  const summary = useEventSummary(id);
  const list = useParticipants(id, {});
  const patch = usePatchParticipant(id);
  const cancel = useCancelParticipant(id);
  const errorMessage = useErrorMessage();
  const [filters, setFilters] = useState<ListFilters>({ q: '', status: '', checkin: '' });
  const deferred = useDeferredValue(filters);
  const [dialog, setDialog] = useState<'add' | 'import' | null>(null);
  const [toCancel, setToCancel] = useState<Participant | null>(null);
  const [exportError, setExportError] = useState<string>();
  const isOrganizer = summary.data?.role !== 'staff';

  // Load every page in the background; the virtual list renders whatever has arrived.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const all = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const rows = useMemo(() => filterParticipants(all, deferred), [all, deferred]);

  const listRef = useRef<HTMLDivElement>(null);
  const virtualizer = useWindowVirtualizer({
    count: rows.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: listRef.current?.offsetTop ?? 0,
  });

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExportError(undefined);
    try {
      await downloadFile(`/api/events/${id}/participants/export?format=${format}`, `participants.${format}`);
    } catch (err) {
      setExportError(errorMessage(err));
    }
  };

  const lng = i18n.language;
  return (
    <div className="page stack">
      <Link to={`/events/${id}`} className="small">
        ← {event.data?.name ?? t('back')}
      </Link>
      <div className="row">
        <h1 style={{ margin: 0 }}>{t('title')}</h1>
        <span className="muted" data-testid="participant-total">
          {formatNumber(all.length, lng)}
        </span>
      </div>

      {isOrganizer && (
        <div className={styles.toolbar}>
          <button type="button" className="btn btn-sm" onClick={() => setDialog('add')}>
            {t('add')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => setDialog('import')}>
            {t('import.open')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void exportAs('csv')}>
            {t('exportCsv')}
          </button>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => void exportAs('xlsx')}>
            {t('exportXlsx')}
          </button>
        </div>
      )}
      {exportError && (
        <p className="alert small" role="alert">
          {exportError}
        </p>
      )}

      <div className={styles.filters}>
        <label className="visually-hidden" htmlFor="participant-search">
          {t('search')}
        </label>
        <input
          id="participant-search"
          className="input"
          type="search"
          placeholder={t('searchPlaceholder')}
          value={filters.q}
          onChange={(e) => setFilters((f) => ({ ...f, q: e.target.value }))}
        />
        <label className="visually-hidden" htmlFor="filter-status">
          {t('filterStatus')}
        </label>
        <select
          id="filter-status"
          className="input"
          value={filters.status}
          onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value }))}
        >
          <option value="">{t('allStatuses')}</option>
          {(['registered', 'pending', 'waitlist', 'cancelled', 'rejected'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <label className="visually-hidden" htmlFor="filter-checkin">
          {t('filterCheckin')}
        </label>
        <select
          id="filter-checkin"
          className="input"
          value={filters.checkin}
          onChange={(e) => setFilters((f) => ({ ...f, checkin: e.target.value }))}
        >
          <option value="">{t('allCheckin')}</option>
          {(['checked_in', 'not_checked_in', 'no_show'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`checkin.${s}`)}
            </option>
          ))}
        </select>
      </div>

      {(patch.isError || cancel.isError) && (
        <p className="alert small" role="alert">
          {errorMessage(patch.error ?? cancel.error)}
        </p>
      )}

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : all.length === 0 ? (
        <EmptyState icon="users" title={t('empty.title')} body={t('empty.body')} />
      ) : rows.length === 0 ? (
        <p className="muted" role="status">
          {t('noMatch')}
        </p>
      ) : (
        <div ref={listRef} className={styles.list}>
          <ul
            aria-label={t('title')}
            style={{
              height: virtualizer.getTotalSize(),
              position: 'relative',
              margin: 0,
              padding: 0,
              listStyle: 'none',
            }}
          >
            {virtualizer.getVirtualItems().map((item) => {
              const p = rows[item.index];
              if (!p) return null;
              return (
                <li
                  key={p.id}
                  className={styles.row}
                  data-testid="participant-row"
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    right: 0,
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start - virtualizer.options.scrollMargin}px)`,
                  }}
                >
                  <span className={styles.num}>#{String(p.registration.number).padStart(3, '0')}</span>
                  <div className={styles.who}>
                    <strong>{p.identity.name}</strong>
                    <span className="muted small">{p.identity.email}</span>
                  </div>
                  <div className={styles.badges}>
                    <span className={`badge badge-${p.registration.status}`}>
                      {t(`status.${p.registration.status}`)}
                    </span>
                    {p.checkin.status === 'checked_in' && (
                      <span className="badge badge-checked_in">{t('checkin.checked_in')}</span>
                    )}
                  </div>
                  {isOrganizer && (
                    <div className={styles.rowActions}>
                      {p.registration.status === 'pending' && (
                        <>
                          <button
                            type="button"
                            className="btn btn-sm"
                            aria-label={t('approveName', { name: p.identity.name })}
                            onClick={() => patch.mutate({ id: p.id, body: { status: 'registered' } })}
                          >
                            {t('approve')}
                          </button>
                          <button
                            type="button"
                            className="btn btn-ghost btn-sm"
                            aria-label={t('rejectName', { name: p.identity.name })}
                            onClick={() => patch.mutate({ id: p.id, body: { status: 'rejected' } })}
                          >
                            {t('reject')}
                          </button>
                        </>
                      )}
                      {['registered', 'waitlist', 'pending'].includes(p.registration.status) && (
                        <button
                          type="button"
                          className="btn btn-ghost btn-sm"
                          aria-label={t('cancelName', { name: p.identity.name })}
                          onClick={() => setToCancel(p)}
                        >
                          {t('cancel')}
                        </button>
                      )}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {list.hasNextPage && <p className="muted small">{t('loadingMore')}</p>}

      {dialog === 'add' && event.data && (
        <AddParticipantDialog
          eventId={id}
          fields={event.data.registration.form_fields}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'import' && <ImportDialog eventId={id} onClose={() => setDialog(null)} />}
      <ConfirmDialog
        open={toCancel !== null}
        title={t('cancelTitle', { name: toCancel?.identity.name ?? '' })}
        body={t('cancelBody')}
        confirmLabel={t('cancel')}
        danger
        onCancel={() => setToCancel(null)}
        onConfirm={() => {
          if (toCancel) cancel.mutate(toCancel.id);
          setToCancel(null);
        }}
      />
    </div>
  );
}
