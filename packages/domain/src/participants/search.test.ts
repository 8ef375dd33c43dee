import { describe, expect, it } from 'vitest';
import { matchesQuery, parseQuery, searchFieldsOf } from './search.ts';

const hong = searchFieldsOf({
  name: '홍길동',
  email: 'Gildong@example.com',
  registrationNumber: 42,
  phone: '010-2345-5678',
});
const masked = searchFieldsOf({
  name: '홍길동',
  email: 'g@x.kr',
  registrationNumber: 42,
  phone: '010-****-5678',
});
const kim = searchFieldsOf({
  name: 'Kim 민수',
  email: 'minsu@example.com',
  registrationNumber: 7,
  phone: null,
});
const find = (fields: typeof hong, q: string) => matchesQuery(fields, parseQuery(q));

describe('participant search query', () => {
  it('ignores spaces in names and e-mails', () => {
    expect(find(hong, '홍 길동')).toBe(true);
    expect(find(hong, ' 길 동 ')).toBe(true);
    expect(find(kim, 'kim민수')).toBe(true);
    expect(find(kim, 'KIM 민 수')).toBe(true);
    expect(find(hong, 'GILDONG@')).toBe(true);
    expect(find(hong, '김')).toBe(false);
  });

  it('matches 초성 and registration numbers', () => {
    expect(find(hong, 'ㅎ ㄱㄷ')).toBe(true);
    expect(find(kim, 'ㅁㅅ')).toBe(true);
    expect(find(kim, 'ㅎㄱㄷ')).toBe(false);
    expect(find(hong, '42')).toBe(true);
    expect(find(hong, '#042')).toBe(true);
    expect(find(kim, '42')).toBe(false);
  });

  it('matches phone digits typed with or without separators', () => {
    expect(find(hong, '5678')).toBe(true);
    expect(find(hong, '010-2345')).toBe(true);
    expect(find(hong, '010 2345 5678')).toBe(true);
    expect(find(hong, '+82 10-2345-5678')).toBe(true);
    expect(find(hong, '2345-5678')).toBe(true);
    expect(find(hong, '1111')).toBe(false);
    expect(find(kim, '5678')).toBe(false);
  });

  it('matches only the visible digits of a masked phone', () => {
    expect(find(masked, '5678')).toBe(true);
    expect(find(masked, '010-2345')).toBe(false);
    expect(find(masked, '0105678')).toBe(false);
  });

  it('tells the query kinds apart', () => {
    expect(parseQuery('  ')).toEqual({ kind: 'empty' });
    expect(parseQuery('#12')).toEqual({ kind: 'digits', number: 12, phoneDigits: null });
    expect(parseQuery('5678')).toEqual({ kind: 'digits', number: 5678, phoneDigits: '5678' });
    expect(parseQuery('010-2345')).toEqual({ kind: 'digits', number: null, phoneDigits: '0102345' });
    expect(parseQuery('홍 길동')).toEqual({ kind: 'text', text: '홍길동' });
  });
});
