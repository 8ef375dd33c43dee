import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/index.ts';
import { ImportDialog } from './ImportDialog.tsx';

const EVENT = '0b7d8f2e-5c1a-4f4e-9a57-3c2d1e0f9a11';

function fakeImport() {
  const urls: string[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    urls.push(String(input));
    return new Response(JSON.stringify({ created: 1, duplicates: 0, invalid: 0, refused: 0, rows: [] }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return { fetch, urls };
}

async function importWith(notify: boolean) {
  const server = fakeImport();
  vi.stubGlobal('fetch', server.fetch);
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ImportDialog eventId={EVENT} onClose={() => {}} />
    </QueryClientProvider>,
  );
  expect(screen.getByTestId('import-notify-note').textContent).toBe(i18n.t('desk:import.willNotify'));
  if (!notify) {
    await user.click(screen.getByRole('checkbox', { name: i18n.t('desk:import.notify') }));
    expect(screen.getByTestId('import-notify-note').textContent).toBe(i18n.t('desk:import.willNotNotify'));
  }
  const file = new File(['name,email\n홍길동,hong@example.com\n'], 'people.csv', { type: 'text/csv' });
  await user.upload(screen.getByLabelText('CSV file'), file);
  await screen.findByRole('status');
  return server.urls;
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
  // jsdom has <dialog> without its modal methods.
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.removeAttribute('open');
  };
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ImportDialog', () => {
  it('tells the organizer that imported people are e-mailed, and imports with notify=false when told not to', async () => {
    expect(await importWith(true)).toEqual([`/api/events/${EVENT}/participants/import`]);
    cleanup();
    expect(await importWith(false)).toEqual([`/api/events/${EVENT}/participants/import?notify=false`]);
  });
});
