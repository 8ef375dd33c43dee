import type { Language } from '@eventmanager/domain/common/schema';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const locale = (language: Language) => (language === 'ko' ? 'ko-KR' : 'en-US');

/** "2026년 11월 26일 목 오후 7:00~9:00 GMT+9" — in the event's own time zone, not the reader's. */
export function formatEventTime(
  start: string,
  end: string | null,
  timeZone: string,
  language: Language,
): string {
  const fmt = new Intl.DateTimeFormat(locale(language), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  });
  const s = new Date(start);
  return end ? fmt.formatRange(s, new Date(end)) : fmt.format(s);
}

export function formatNumber(n: number, language: Language): string {
  return new Intl.NumberFormat(locale(language)).format(n);
}

/** Registration numbers read as in the seed: #001, #002 … */
export function formatRegistrationNumber(n: number): string {
  return `#${String(n).padStart(3, '0')}`;
}

/** Only http(s) links reach a template; anything else (javascript:, data:) is dropped. */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export function safeColor(value: string | null | undefined, fallback: string): string {
  return value && /^#[0-9a-fA-F]{6}$/.test(value) ? value : fallback;
}
