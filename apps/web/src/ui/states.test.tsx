import { renderHook } from '@testing-library/react';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/problem.ts';
import i18n from '../i18n/index.ts';
import { useErrorMessage } from './states.tsx';

const problem = (status: number, detail: string, code?: string) =>
  new ApiError({ type: 'about:blank', title: 'Error', status, detail, ...(code ? { code } : {}) });

async function messagesIn(language: 'ko' | 'en') {
  await i18n.changeLanguage(language);
  return renderHook(() => useErrorMessage()).result.current;
}

afterAll(() => i18n.changeLanguage('ko'));

describe('error messages', () => {
  it('a Korean reader gets Korean for every server answer, never the server’s English detail', async () => {
    const message = await messagesIn('ko');
    expect(message(problem(422, 'The event is full', 'event_full'))).toBe('정원이 가득 찼어요.');
    expect(
      message(problem(409, 'An event cannot move from draft to completed', 'illegal_status_transition')),
    ).toBe('지금 상태에서는 이렇게 바꿀 수 없어요.');
    // No code, or one without a sentence: the status says what kind of refusal it was.
    expect(message(problem(409, 'Something clashed'))).toBe(i18n.t('error.conflict'));
    expect(message(problem(422, 'Nope', 'some_future_reason'))).toBe(i18n.t('error.rejected'));
    expect(message(problem(413, 'Too large'))).toBe(i18n.t('error.tooLarge'));
    expect(message(problem(404, 'Event not found'))).toBe(i18n.t('error.notFound'));
    expect(message(new NetworkError(new Error('offline')))).toBe(i18n.t('error.network'));
    for (const m of [
      message(problem(409, 'Something clashed')),
      message(problem(400, 'body/name must be string')),
    ])
      expect(m).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('an English reader gets the sentence for a known reason, else the server’s own words', async () => {
    const message = await messagesIn('en');
    expect(message(problem(422, 'The event is full', 'event_full'))).toBe('The event is full.');
    expect(message(problem(409, 'Something clashed in detail'))).toBe('Something clashed in detail');
  });
});
