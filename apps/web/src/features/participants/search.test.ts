import type { Participant } from '@eventmanager/domain/participants/participant.schema';
import { describe, expect, it } from 'vitest';
import { filterParticipants } from './search.ts';

function person(
  n: number,
  name: string,
  email: string,
  status = 'registered',
  checkin = 'not_checked_in',
  phone: string | null = null,
) {
  return {
    id: `id-${n}`,
    identity: { name, email, phone },
    registration: { number: n, status },
    checkin: { status: checkin },
  } as unknown as Participant;
}

const people = [
  person(1, '홍길동', 'hong@example.com', 'registered', 'not_checked_in', '010-****-5678'),
  person(2, '김민수', 'minsu@example.com', 'pending'),
  person(3, 'Kim Sara', 'sara@example.com', 'registered', 'checked_in'),
];
const none = { q: '', status: '', checkin: '' };

describe('participant search', () => {
  it('finds by Korean initial consonants, name, e-mail and number', () => {
    expect(filterParticipants(people, { ...none, q: 'ㅎㄱㄷ' }).map((p) => p.id)).toEqual(['id-1']);
    expect(filterParticipants(people, { ...none, q: 'ㄱㅁ' }).map((p) => p.id)).toEqual(['id-2']);
    expect(filterParticipants(people, { ...none, q: 'sara' }).map((p) => p.id)).toEqual(['id-3']);
    expect(filterParticipants(people, { ...none, q: 'MINSU@' }).map((p) => p.id)).toEqual(['id-2']);
    expect(filterParticipants(people, { ...none, q: '#002' }).map((p) => p.id)).toEqual(['id-2']);
  });

  it('ignores spaces in names and matches the visible phone digits', () => {
    expect(filterParticipants(people, { ...none, q: '홍 길동' }).map((p) => p.id)).toEqual(['id-1']);
    expect(filterParticipants(people, { ...none, q: 'kimsara' }).map((p) => p.id)).toEqual(['id-3']);
    expect(filterParticipants(people, { ...none, q: '5678' }).map((p) => p.id)).toEqual(['id-1']);
    expect(filterParticipants(people, { ...none, q: '010-2345' })).toEqual([]);
  });

  it('adds the ids the server matched on full phone numbers, and filters by tag', () => {
    const serverMatches = new Set(['id-1']);
    expect(
      filterParticipants(people, { ...none, q: '010-2345' }, { serverMatches }).map((p) => p.id),
    ).toEqual(['id-1']);
    const tags = new Map([['id-2', ['VIP', '연사']]]);
    expect(filterParticipants(people, { ...none, tag: 'VIP' }, { tags }).map((p) => p.id)).toEqual(['id-2']);
    expect(filterParticipants(people, { ...none, tag: 'VIP' })).toEqual([]);
  });

  it('filters by status and check-in', () => {
    expect(filterParticipants(people, { ...none, status: 'pending' }).map((p) => p.id)).toEqual(['id-2']);
    expect(filterParticipants(people, { ...none, checkin: 'checked_in' }).map((p) => p.id)).toEqual(['id-3']);
  });

  it('stays fast at 10,000 rows', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      person(i + 1, i % 2 ? '홍길동' : '이순신', `p${i}@x.kr`),
    );
    const started = performance.now();
    const found = filterParticipants(many, { ...none, q: 'ㅇㅅㅅ' });
    expect(found).toHaveLength(5_000);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
