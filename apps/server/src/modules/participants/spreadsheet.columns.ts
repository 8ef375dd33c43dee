import type { Language } from '@eventmanager/domain/common/schema';

/**
 * Column headers shared by export and import, so an exported file can be imported back. Import
 * recognises the headers of both languages (and a few common spellings).
 */
export const FIXED_COLUMNS = [
  'number',
  'name',
  'email',
  'phone',
  'status',
  'source',
  'registered_at',
  'checkin',
  'checked_in_at',
  'marketing',
] as const;
export type FixedColumn = (typeof FIXED_COLUMNS)[number];

export const HEADERS: Record<Language, Record<FixedColumn, string>> = {
  ko: {
    number: '등록번호',
    name: '이름',
    email: '이메일',
    phone: '전화번호',
    status: '등록 상태',
    source: '등록 경로',
    registered_at: '등록 일시',
    checkin: '출석',
    checked_in_at: '출석 시각',
    marketing: '마케팅 수신 동의',
  },
  en: {
    number: 'Number',
    name: 'Name',
    email: 'E-mail',
    phone: 'Phone',
    status: 'Status',
    source: 'Source',
    registered_at: 'Registered at',
    checkin: 'Check-in',
    checked_in_at: 'Checked in at',
    marketing: 'Marketing consent',
  },
};

/** Import targets for identity columns, by normalised header (a Map: a header is never a prototype key). */
export const IDENTITY_ALIASES: ReadonlyMap<string, 'name' | 'email' | 'phone'> = new Map(
  Object.entries({
    name: 'name',
    이름: 'name',
    성명: 'name',
    email: 'email',
    'e-mail': 'email',
    이메일: 'email',
    메일: 'email',
    phone: 'phone',
    전화번호: 'phone',
    전화: 'phone',
    연락처: 'phone',
    휴대폰: 'phone',
    휴대전화: 'phone',
    mobile: 'phone',
  } as const),
);

export const normaliseHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or tab/CR) would run as a formula in
 * Excel; prefix it with an apostrophe, which import strips again.
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
export function unsafeCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
