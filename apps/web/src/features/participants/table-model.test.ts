import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { describe, expect, it } from 'vitest';
import { answerColumns, answerText, sortParticipants } from './table-model.ts';

function person(
  n: number,
  name: string,
  extra: { status?: string; checkedAt?: string; size?: unknown } = {},
) {
  return {
    id: `id-${n}`,
    identity: { name, email: `${name}@x.kr`, phone: null },
    custom_responses: extra.size === undefined ? {} : { size: extra.size },
    registration: { number: n, status: extra.status ?? 'registered', timestamp: `2026-03-0${n}T00:00:00Z` },
    checkin: {
      status: extra.checkedAt ? 'checked_in' : 'not_checked_in',
      timestamp: extra.checkedAt ?? null,
    },
  } as unknown as Participant;
}

const rows = [
  person(1, '홍길동', { size: 'M', checkedAt: '2026-04-01T10:05:00Z' }),
  person(2, '김사라', { status: 'pending', checkedAt: '2026-04-01T10:01:00Z' }),
  person(3, '이민수', { size: 'L' }),
];
const ids = (list: Participant[]) => list.map((p) => p.id);

describe('participants table model', () => {
  it('sorts by name (Korean order), status, check-in time and answers, both ways', () => {
    expect(ids(sortParticipants(rows, { key: 'name', dir: 'asc' }))).toEqual(['id-2', 'id-3', 'id-1']);
    expect(ids(sortParticipants(rows, { key: 'number', dir: 'desc' }))).toEqual(['id-3', 'id-2', 'id-1']);
    expect(ids(sortParticipants(rows, { key: 'status', dir: 'asc' }))).toEqual(['id-2', 'id-1', 'id-3']);
    expect(ids(sortParticipants(rows, { key: 'checkin', dir: 'asc' }))).toEqual(['id-2', 'id-1', 'id-3']);
    // Empty answers stay last in either direction.
    expect(ids(sortParticipants(rows, { key: 'custom:size', dir: 'asc' }))).toEqual(['id-3', 'id-1', 'id-2']);
    expect(ids(sortParticipants(rows, { key: 'custom:size', dir: 'desc' }))).toEqual([
      'id-1',
      'id-3',
      'id-2',
    ]);
  });

  it('shows answers as text and offers retired fields as columns', () => {
    const yesNo = { yes: '예', no: '아니요' };
    expect(answerText(['AI', 'DB'], yesNo)).toBe('AI, DB');
    expect(answerText(true, yesNo)).toBe('예');
    expect(answerText(undefined, yesNo)).toBe('');
    expect(
      answerColumns(
        [{ id: 'company', type: 'text', label: '회사', required: true }],
        [{ id: 'size', type: 'text', label: '티셔츠', required: false }],
      ),
    ).toEqual([
      { id: 'company', label: '회사', retired: false },
      { id: 'size', label: '티셔츠', retired: true },
    ]);
  });
});
