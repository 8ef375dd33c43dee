import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import styles from './participants.module.css';
import { answerText, type Sort, type SortKey, shortDateTime, sortParticipants } from './table-model.ts';

const ROW_HEIGHT = 44;

export interface AnswerColumn {
  id: string;
  label: string;
  retired: boolean;
}

/**
 * The laptop view of the participants: a sortable table over the page's full width (number, name,
 * e-mail, masked phone, status, check-in state and time, registered at, tags and the answer columns
 * the organizer picked). Rows are virtual (10,000 people render as ~40 rows); a row opens the
 * participant's panel; the organizer selects rows for bulk actions.
 */
export function ParticipantTable({
  rows,
  columns,
  sort,
  onSort,
  selectable,
  selected,
  onSelect,
  onOpen,
  tags,
  timezone,
}: {
  rows: readonly Participant[];
  columns: readonly AnswerColumn[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selectable: boolean;
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  onOpen: (id: string) => void;
  tags: ReadonlyMap<string, readonly string[]>;
  timezone: string | undefined;
}) {
  const { t, i18n } = useTranslation(['desk', 'participants']);
  const sorted = useMemo(() => sortParticipants(rows, sort), [rows, sort]);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const virtualizer = useWindowVirtualizer({
    count: sorted.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    scrollMargin: bodyRef.current?.offsetTop ?? 0,
  });
  const items = virtualizer.getVirtualItems();
  const before = items.length ? items[0]!.start - virtualizer.options.scrollMargin : 0;
  const after = items.length ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  const yesNo = { yes: t('yes'), no: t('no') };
  const allSelected = sorted.length > 0 && sorted.every((p) => selected.has(p.id));
  const when = (iso: string) => shortDateTime(iso, i18n.language, timezone);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th
        scope="col"
        aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
        key={key}
      >
        <button
          type="button"
          className={styles.sortButton}
          onClick={() => onSort({ key, dir: active && sort.dir === 'asc' ? 'desc' : 'asc' })}
        >
          {label}
          <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        </button>
      </th>
    );
  };
  const span = 9 + columns.length + (selectable ? 1 : 0);

  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="participant-table">
        <thead>
          <tr>
            {selectable && (
              <th scope="col" className={styles.checkCell}>
                <input
                  type="checkbox"
                  aria-label={t('selectAll')}
                  checked={allSelected}
                  onChange={(e) =>
                    onSelect(
                      sorted.map((p) => p.id),
                      e.target.checked,
                    )
                  }
                />
              </th>
            )}
            {header('number', t('col.number'))}
            {header('name', t('col.name'))}
            {header('email', t('col.email'))}
            {header('phone', t('col.phone'))}
            {header('status', t('col.status'))}
            {header('checkin', t('col.checkin'))}
            {header('registered', t('col.registered'))}
            <th scope="col">{t('col.tags')}</th>
            {columns.map((c) =>
              header(`custom:${c.id}`, c.retired ? t('retiredLabel', { label: c.label }) : c.label),
            )}
            <th scope="col">
              <span className="visually-hidden">{t('col.open')}</span>
            </th>
          </tr>
        </thead>
        <tbody ref={bodyRef}>
          {before > 0 && (
            <tr>
              <td colSpan={span} style={{ height: before, padding: 0, border: 0 }} />
            </tr>
          )}
          {items.map((item) => {
            const p = sorted[item.index];
            if (!p) return null;
            const checked = p.checkin.status === 'checked_in';
            return (
              <tr
                key={p.id}
                data-testid="participant-row"
                data-id={p.id}
                className={selected.has(p.id) ? styles.selectedRow : undefined}
                style={{ height: ROW_HEIGHT }}
              >
                {selectable && (
                  <td className={styles.checkCell}>
                    <input
                      type="checkbox"
                      aria-label={t('selectName', { name: p.identity.name })}
                      checked={selected.has(p.id)}
                      onChange={(e) => onSelect([p.id], e.target.checked)}
                    />
                  </td>
                )}
                <td className={styles.num}>#{String(p.registration.number).padStart(3, '0')}</td>
                <td>
                  <strong>{p.identity.name}</strong>
                </td>
                <td className={styles.ellipsis}>{p.identity.email}</td>
                <td className={styles.mono}>{p.identity.phone ?? ''}</td>
                <td>
                  <span className={`badge badge-${p.registration.status}`}>
                    {t(`participants:status.${p.registration.status}`)}
                  </span>
                </td>
                <td>
                  {checked && p.checkin.timestamp ? (
                    <span className="badge badge-checked_in">
                      {t('checkedInAt', { time: when(p.checkin.timestamp) })}
                    </span>
                  ) : (
                    <span className="muted small">{t(`participants:checkin.${p.checkin.status}`)}</span>
                  )}
                </td>
                <td className="small">{when(p.registration.timestamp)}</td>
                <td className="small">{(tags.get(p.id) ?? []).join(', ')}</td>
                {columns.map((c) => (
                  <td key={c.id} className={`${styles.ellipsis} small`}>
                    {answerText(p.custom_responses[c.id], yesNo)}
                  </td>
                ))}
                <td>
                  <button
                    type="button"
                    className="btn btn-ghost btn-sm"
                    aria-label={t('openName', { name: p.identity.name })}
                    onClick={() => onOpen(p.id)}
                  >
                    {t('open')}
                  </button>
                </td>
              </tr>
            );
          })}
          {after > 0 && (
            <tr>
              <td colSpan={span} style={{ height: after, padding: 0, border: 0 }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
