import type { BulkAction, MessageAudience } from '@eventmanager/domain/participants/desk.schema';
import {
  checkinStatusSchema,
  type Participant,
  registrationStatusSchema,
} from '@eventmanager/domain/participants/participant.schema';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { downloadFile } from '../../api/client.ts';
import { useAnnotations, useBulkAction, usePhoneSearch } from '../../api/desk.ts';
import { useEvent, useEventSummary } from '../../api/events.ts';
import { useCancelParticipant, useParticipants, usePatchParticipant } from '../../api/participants.ts';
import { formatNumber } from '../../i18n/format.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { EmptyState, ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { useMediaQuery } from '../../ui/use-media-query.ts';
import { AddParticipantDialog } from './AddParticipantDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { MessageDialog } from './MessageDialog.tsx';
import { ParticipantPanel } from './ParticipantPanel.tsx';
import { ParticipantTable } from './ParticipantTable.tsx';
import styles from './participants.module.css';
import { filterParticipants, type ListFilters } from './search.ts';
import { answerColumns, loadChosenColumns, type Sort, saveChosenColumns } from './table-model.ts';

/** From this width the page is a table over the full width; below it, a list for phones. */
export const LAPTOP_QUERY = '(min-width: 900px)';

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
  const [filters, setFilters] = useState<ListFilters>({ q: '', status: '', checkin: '', tag: '' });
  const deferred = useDeferredValue(filters);
  const [dialog, setDialog] = useState<'add' | 'import' | 'edit' | null>(null);
  const [toCancel, setToCancel] = useState<Participant | null>(null);
  const [exportError, setExportError] = useState<string>();
  const isOrganizer = summary.data?.role !== 'staff';
  const isLaptop = useMediaQuery(LAPTOP_QUERY);
  const annotations = useAnnotations(id, isOrganizer && summary.data !== undefined);
  const phoneSearch = usePhoneSearch(id, deferred.q);
  const bulk = useBulkAction(id);
  const [openId, setOpenId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [sort, setSort] = useState<Sort>({ key: 'number', dir: 'asc' });
  const [chosenColumns, setChosenColumns] = useState<string[]>(() => loadChosenColumns(id));
  const [message, setMessage] = useState<{ audience: MessageAudience; label: string } | null>(null);
  const [confirmBulk, setConfirmBulk] = useState<BulkAction | null>(null);

  // Load every page in the background; the virtual list renders whatever has arrived.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const all = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const tags = useMemo(
    () => new Map((annotations.data?.items ?? []).map((a) => [a.participant_id, a.tags] as const)),
    [annotations.data],
  );
  const allTags = useMemo(() => [...new Set([...tags.values()].flat())].sort(), [tags]);
  const rows = useMemo(
    () => filterParticipants(all, deferred, { serverMatches: phoneSearch, tags }),
    [all, deferred, phoneSearch, tags],
  );
  const columns = useMemo(() => {
    const available = event.data
      ? answerColumns(event.data.registration.form_fields, event.data.registration.retired_form_fields)
      : [];
    return available.filter((c) => chosenColumns.includes(c.id));
  }, [event.data, chosenColumns]);
  const openParticipant = all.find((p) => p.id === openId);
  const selectedIds = [...selected].filter((sid) => all.some((p) => p.id === sid));

  const select = (ids: string[], on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      for (const sid of ids) {
        if (on) next.add(sid);
        else next.delete(sid);
      }
      return next;
    });
  const runBulk = (action: BulkAction) =>
    bulk.mutate({ ids: selectedIds, action }, { onSuccess: () => setSelected(new Set()) });
  const filterAudience = (): MessageAudience => {
    const status = registrationStatusSchema.safeParse(filters.status);
    const checkin = checkinStatusSchema.safeParse(filters.checkin);
    return {
      ...(status.success ? { status: status.data } : {}),
      ...(checkin.success ? { checkin: checkin.data } : {}),
      ...(filters.tag ? { tag: filters.tag } : {}),
    };
  };
  const filterLabel = () =>
    [
      filters.status && t(`status.${filters.status}`),
      filters.checkin && t(`checkin.${filters.checkin}`),
      filters.tag && `#${filters.tag}`,
    ]
      .filter(Boolean)
      .join(' · ') || t('desk:message.everyone');

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
    <div className={`page stack ${isLaptop ? styles.wide : ''}`}>
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
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() => setMessage({ audience: filterAudience(), label: filterLabel() })}
          >
            {t('desk:message.open')}
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
        {isOrganizer && allTags.length > 0 && (
          <>
            <label className="visually-hidden" htmlFor="filter-tag">
              {t('desk:filterTag')}
            </label>
            <select
              id="filter-tag"
              className="input"
              value={filters.tag}
              onChange={(e) => setFilters((f) => ({ ...f, tag: e.target.value }))}
            >
              <option value="">{t('desk:allTags')}</option>
              {allTags.map((tag) => (
                <option key={tag} value={tag}>
                  #{tag}
                </option>
              ))}
            </select>
          </>
        )}
      </div>

      {isLaptop && event.data && (
        <details className={styles.columnsPicker}>
          <summary>{t('desk:columns', { count: columns.length })}</summary>
          <fieldset>
            <legend className="visually-hidden">{t('desk:columnsLegend')}</legend>
            {answerColumns(
              event.data.registration.form_fields,
              event.data.registration.retired_form_fields,
            ).map((c) => (
              <label key={c.id} className="row small" style={{ gap: 6 }}>
                <input
                  type="checkbox"
                  checked={chosenColumns.includes(c.id)}
                  onChange={(e) => {
                    const next = e.target.checked
                      ? [...chosenColumns, c.id]
                      : chosenColumns.filter((x) => x !== c.id);
                    setChosenColumns(next);
                    saveChosenColumns(id, next);
                  }}
                />
                {c.retired ? t('desk:retiredLabel', { label: c.label }) : c.label}
              </label>
            ))}
          </fieldset>
        </details>
      )}

      {isOrganizer && selectedIds.length > 0 && (
        <div
          className={styles.bulkBar}
          role="toolbar"
          aria-label={t('desk:bulk.label')}
          data-testid="bulk-bar"
        >
          <strong>{t('desk:bulk.selected', { count: selectedIds.length })}</strong>
          <button
            type="button"
            className="btn btn-sm"
            disabled={bulk.isPending}
            onClick={() => runBulk('approve')}
          >
            {t('desk:action.approve')}
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            disabled={bulk.isPending}
            onClick={() => runBulk('promote')}
          >
            {t('desk:action.promote')}
          </button>
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            disabled={bulk.isPending}
            onClick={() => setConfirmBulk('cancel')}
          >
            {t('desk:action.cancel')}
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-sm"
            onClick={() =>
              setMessage({
                audience: { ids: selectedIds },
                label: t('desk:bulk.selected', { count: selectedIds.length }),
              })
            }
          >
            {t('desk:bulk.email')}
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setSelected(new Set())}>
            {t('desk:bulk.clear')}
          </button>
        </div>
      )}
      {bulk.data && (
        <p className="small" role="status" data-testid="bulk-result">
          {t('desk:bulk.result', { ok: bulk.data.succeeded, failed: bulk.data.failed })}
          {bulk.data.failed > 0 &&
            ` (${[...new Set(bulk.data.results.filter((r) => !r.ok).map((r) => r.code ?? ''))]
              .map((code) => t(`desk:codes.${code}`, { defaultValue: code }))
              .join(', ')})`}
        </p>
      )}
      {bulk.isError && (
        <p className="alert small" role="alert">
          {errorMessage(bulk.error)}
        </p>
      )}

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
      ) : isLaptop ? (
        <ParticipantTable
          rows={rows}
          columns={columns}
          sort={sort}
          onSort={setSort}
          selectable={isOrganizer}
          selected={selected}
          onSelect={select}
          onOpen={setOpenId}
          tags={tags}
          timezone={event.data?.datetime.timezone}
        />
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
                  <button
                    type="button"
                    className={styles.who}
                    onClick={() => setOpenId(p.id)}
                    aria-label={t('desk:openName', { name: p.identity.name })}
                  >
                    <strong>{p.identity.name}</strong>
                    <span className="muted small">{p.identity.phone ?? p.identity.email}</span>
                  </button>
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
      {dialog === 'edit' && event.data && openParticipant && (
        <AddParticipantDialog
          eventId={id}
          fields={event.data.registration.form_fields}
          participant={openParticipant}
          onClose={() => setDialog(null)}
        />
      )}
      {openId && event.data && dialog !== 'edit' && (
        <ParticipantPanel
          event={event.data}
          participantId={openId}
          isOrganizer={isOrganizer}
          onEdit={() => setDialog('edit')}
          onClose={() => setOpenId(null)}
        />
      )}
      {message && event.data && (
        <MessageDialog
          eventId={id}
          eventName={event.data.name}
          audience={message.audience}
          audienceLabel={message.label}
          onClose={() => setMessage(null)}
        />
      )}
      <ConfirmDialog
        open={confirmBulk !== null}
        title={t('desk:bulk.confirmCancel', { count: selectedIds.length })}
        body={t('cancelBody')}
        confirmLabel={t('desk:action.cancel')}
        danger
        onCancel={() => setConfirmBulk(null)}
        onConfirm={() => {
          if (confirmBulk) runBulk(confirmBulk);
          setConfirmBulk(null);
        }}
      />
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
