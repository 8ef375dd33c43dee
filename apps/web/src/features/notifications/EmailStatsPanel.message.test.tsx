import type { EmailStats } from '@eventmanager/domain/notifications/schema';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/index.ts';
import { EmailStatsPanel } from './EmailStatsPanel.tsx';

const EVENT = '0b7d8f2e-5c1a-4f4e-9a57-3c2d1e0f9a11';
const zero = { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('EmailStatsPanel and organizer messages', () => {
  it('shows how far a message to many has come', async () => {
    const stats: EmailStats = {
      event_id: EVENT,
      totals: { ...zero, queued: 30, sent: 70 },
      by_type: [{ ...zero, type: 'organizer_message', queued: 30, sent: 70 }],
      bulk_sends: [],
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) =>
        String(input).endsWith('/emails/stats')
          ? new Response(JSON.stringify(stats), { headers: { 'content-type': 'application/json' } })
          : new Response(JSON.stringify({ items: [] }), { headers: { 'content-type': 'application/json' } }),
      ),
    );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <EmailStatsPanel eventId={EVENT} />
      </QueryClientProvider>,
    );
    const row = within(await screen.findByTestId('email-type-organizer_message'));
    expect(row.getByRole('heading', { name: 'Organizer message' })).toBeTruthy();
    const bar = row.getByRole('progressbar', { name: 'Organizer message progress' });
    expect(bar.getAttribute('value')).toBe('70');
    expect(bar.getAttribute('max')).toBe('100');
  });
});
