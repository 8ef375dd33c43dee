import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/index.ts';
import { SignupPage } from './SignupPage.tsx';

function renderSignup() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={['/signup']}>
        <SignupPage />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

async function fill(password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(i18n.t('auth:field.name'), { exact: false }), '김사라');
  await user.type(screen.getByLabelText(i18n.t('auth:field.email'), { exact: false }), 'sara@example.com');
  await user.type(screen.getByLabelText(i18n.t('auth:field.password'), { exact: false }), password);
  return user;
}

beforeAll(async () => {
  await i18n.changeLanguage('ko');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('SignupPage', () => {
  it('links the terms and the privacy policy, and sends nothing until they are accepted', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    renderSignup();
    expect(screen.getByRole('link', { name: '서비스 이용약관' }).getAttribute('href')).toBe('/terms');
    expect(screen.getByRole('link', { name: '개인정보 처리방침' }).getAttribute('href')).toBe('/privacy');
    const user = await fill('a-long-secret');
    await user.click(screen.getByRole('button', { name: i18n.t('auth:signup.submit') }));
    expect(await screen.findByText(i18n.t('account:terms.required'))).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('sends accept_terms: true, and shows the server’s weak-password refusal in Korean', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            type: 'about:blank',
            title: 'Bad Request',
            status: 400,
            code: 'weak_password',
            errors: [{ path: 'password', message: 'This password is too common; choose another' }],
          }),
          { status: 400, headers: { 'content-type': 'application/problem+json' } },
        ),
    );
    vi.stubGlobal('fetch', fetch);
    renderSignup();
    const user = await fill('iloveyou');
    await user.click(screen.getByTestId('accept-terms'));
    await user.click(screen.getByRole('button', { name: i18n.t('auth:signup.submit') }));
    expect(await screen.findByText(i18n.t('account:password.weak'))).toBeTruthy();
    const body = JSON.parse(String((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body));
    expect(body).toMatchObject({ email: 'sara@example.com', accept_terms: true });
  });

  it('refuses eight spaces before asking the server', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    renderSignup();
    const user = await fill('        ');
    await user.click(screen.getByTestId('accept-terms'));
    await user.click(screen.getByRole('button', { name: i18n.t('auth:signup.submit') }));
    expect(await screen.findByText(i18n.t('account:password.blank'))).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});
