import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setSession } from '../../api/session.ts';
import i18n from '../../i18n/index.ts';
import { LoginPage } from './LoginPage.tsx';
import { SignupPage } from './SignupPage.tsx';
import { hasSignedInBefore } from './visit.ts';

const USER = {
  id: '0b7d8f2e-5c1a-4f4e-9a57-3c2d1e0f9a11',
  email: 'host@example.com',
  name: '주최자',
  preferences: { language: 'ko', timezone: 'Asia/Seoul', notifications: true },
  created_at: '2026-11-20T09:00:00.000Z',
};

function renderAt(path: string) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/signup" element={<SignupPage />} />
          <Route path="/" element={<p>home</p>} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(async () => {
  localStorage.clear();
  setSession(null);
  await i18n.changeLanguage('ko');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  setSession(null);
});

describe('login and sign-up greet a newcomer as a newcomer', () => {
  it('first visit: the login page welcomes, it does not say "welcome back"', () => {
    renderAt('/login');
    expect(screen.getByRole('heading', { name: 'eventManager에 오신 걸 환영해요' })).toBeTruthy();
    expect(screen.queryByText('다시 만나서 반가워요')).toBeNull();
    cleanup();
    renderAt('/signup');
    expect(screen.getByRole('heading', { name: '이벤트를 쉽게 시작하세요' })).toBeTruthy();
  });

  it('after a successful log-in (and a log-out) this browser is greeted as returning, in English too', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ access_token: 'a', refresh_token: 'r', user: USER }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
      ),
    );
    renderAt('/login');
    await userEvent.type(screen.getByLabelText(/이메일/), 'host@example.com');
    await userEvent.type(screen.getByLabelText(/비밀번호/), 'correct-horse-battery');
    await userEvent.click(screen.getByRole('button', { name: '로그인' }));
    await screen.findByText('home');
    expect(hasSignedInBefore()).toBe(true);
    cleanup();
    setSession(null);

    renderAt('/login');
    expect(screen.getByRole('heading', { name: '다시 만나서 반가워요' })).toBeTruthy();
    cleanup();
    await i18n.changeLanguage('en');
    renderAt('/login');
    expect(screen.getByRole('heading', { name: 'Welcome back' })).toBeTruthy();
    cleanup();
    renderAt('/signup');
    expect(screen.getByRole('heading', { name: 'Good to see you again' })).toBeTruthy();
  });

  it('a failed log-in does not mark the browser as returning', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401 }), {
            status: 401,
            headers: { 'content-type': 'application/problem+json' },
          }),
      ),
    );
    renderAt('/login');
    await userEvent.type(screen.getByLabelText(/이메일/), 'host@example.com');
    await userEvent.type(screen.getByLabelText(/비밀번호/), 'wrong-password-123');
    await userEvent.click(screen.getByRole('button', { name: '로그인' }));
    await screen.findByText('이메일 또는 비밀번호가 맞지 않아요.');
    expect(hasSignedInBefore()).toBe(false);
  });
});
