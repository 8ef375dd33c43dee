import type { EmailJob, EmailStats } from '@eventmanager/domain/notifications/schema';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { hasMailInFlight } from '../../api/notifications.ts';
import i18n from '../../i18n/index.ts';
import { EmailStatsPanel } from './EmailStatsPanel.tsx';

const EVENT = '0b7d8f2e-5c1a-4f4e-9a57-3c2d1e0f9a11';
const JOB = '7f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';

const zero = { queued: 0, sending: 0, sent: 0, failed: 0, cancelled: 0 };

/**
 * A fake of the three e-mail routes with a little state: retrying the failed job moves it from
 * failed to queued, as the server does, so the test sees the panel follow the server's answers.
 */
function fakeServer() {
  let jobFailed = true;
  const calls: { method: string; url: string }[] = [];
  const stats = (): EmailStats => ({
    event_id: EVENT,
    totals: { ...zero, queued: jobFailed ? 40 : 41, sending: 2, sent: 957, failed: jobFailed ? 1 : 0 },
    by_type: [
      {
        ...zero,
        type: 'registration_confirmation',
        sent: 3,
        failed: jobFailed ? 1 : 0,
        queued: jobFailed ? 0 : 1,
      },
      { ...zero, type: 'reminder_1d', queued: 40, sending: 2, sent: 954 },
    ],
    bulk_sends: [
      {
        kind: 'reminder_1d',
        status: 'done',
        recipients: 996,
        chunks: 1,
        created_at: '2026-11-20T09:00:00.000Z',
      },
    ],
  });
  const failedJob: EmailJob = {
    id: JOB,
    type: 'registration_confirmation',
    recipient: 'minji@example.com',
    status: 'failed',
    retry_count: 3,
    scheduled_at: '2026-11-25T10:00:00.000Z',
    next_retry: null,
    sent_at: null,
    last_error: '550 5.1.1 mailbox unavailable',
  };
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    calls.push({ method, url });
    if (method === 'GET' && url === `/api/events/${EVENT}/emails/stats`) return json(stats());
    if (method === 'GET' && url === `/api/events/${EVENT}/emails?status=failed&limit=50`) {
      return json({ items: jobFailed ? [failedJob] : [] });
    }
    if (method === 'POST' && url === `/api/events/${EVENT}/emails/${JOB}/retry`) {
      jobFailed = false;
      return json({ ...failedJob, status: 'pending', retry_count: 0, last_error: null });
    }
    return json({ type: 'about:blank', title: 'Not Found', status: 404 }, 404);
  });
  return { fetch, calls };
}

function renderPanel() {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <EmailStatsPanel eventId={EVENT} />
    </QueryClientProvider>,
  );
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});
beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('EmailStatsPanel', () => {
  it('shows counts per type, bulk progress and the failed mail; retry posts to the job and the counts follow', async () => {
    const server = fakeServer();
    vi.stubGlobal('fetch', server.fetch);
    const user = userEvent.setup();
    renderPanel();

    expect(screen.getByRole('status').textContent).toContain('Loading e-mail status…');
    // Waiting counts what is queued and what a worker is sending right now: 40 + 2.
    expect((await screen.findByTestId('email-total-queued')).textContent).toBe('42');
    expect(screen.getByTestId('email-total-sent').textContent).toBe('957');
    expect(screen.getByTestId('email-total-failed').textContent).toBe('1');

    const reminder = within(screen.getByTestId('email-type-reminder_1d'));
    expect(reminder.getByRole('heading', { name: 'Reminder (1 day before)' })).toBeTruthy();
    expect(reminder.getByText('Waiting 42 · Sent 954 · Failed 0')).toBeTruthy();
    const bar = reminder.getByRole('progressbar', { name: 'Reminder (1 day before) progress' });
    expect(bar.getAttribute('value')).toBe('954');
    expect(bar.getAttribute('max')).toBe('996');
    expect(reminder.getByText('954 of 996 processed')).toBeTruthy();
    expect(reminder.getByText('All 996 recipients queued')).toBeTruthy();
    // One-off mail has no progress bar.
    expect(
      within(screen.getByTestId('email-type-registration_confirmation')).queryByRole('progressbar'),
    ).toBeNull();

    const failed = within(await screen.findByTestId('email-failed-job'));
    expect(failed.getByText('minji@example.com')).toBeTruthy();
    expect(failed.getByText('550 5.1.1 mailbox unavailable')).toBeTruthy();
    expect(failed.getByText('Registration confirmation · Attempts: 4')).toBeTruthy();

    await user.click(
      failed.getByRole('button', { name: 'Send again: Registration confirmation to minji@example.com' }),
    );

    await waitFor(() =>
      expect(server.calls).toContainEqual({
        method: 'POST',
        url: `/api/events/${EVENT}/emails/${JOB}/retry`,
      }),
    );
    expect(await screen.findByText('The e-mail to minji@example.com is queued again.')).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('email-total-failed').textContent).toBe('0'));
    expect(screen.getByTestId('email-total-queued').textContent).toBe('43');
    expect(screen.queryByTestId('email-failed-job')).toBeNull();
    expect(server.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('says so when the event has no mail yet', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ event_id: EVENT, totals: zero, by_type: [], bulk_sends: [] }), {
            headers: { 'content-type': 'application/json' },
          }),
      ),
    );
    renderPanel();
    expect(await screen.findByText('No e-mail for this event yet.')).toBeTruthy();
    expect(screen.queryByTestId('email-total-queued')).toBeNull();
  });

  it('shows an error with a retry, and renders nothing for staff (403)', async () => {
    let status = 500;
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ type: 'about:blank', title: 'Error', status }), {
            status,
            headers: { 'content-type': 'application/problem+json' },
          }),
      ),
    );
    const { container } = renderPanel();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain("Couldn't load the e-mail status.");

    status = 403;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(container.innerHTML).toBe(''));
  });

  it('polls only while mail is waiting, being sent, or a bulk send is adding recipients', () => {
    const base: EmailStats = { event_id: EVENT, totals: { ...zero, sent: 5 }, by_type: [], bulk_sends: [] };
    const bulk = (status: EmailStats['bulk_sends'][number]['status']): EmailStats['bulk_sends'] => [
      { kind: 'thank_you', status, recipients: 10, chunks: 1, created_at: '2026-11-20T09:00:00.000Z' },
    ];
    expect(hasMailInFlight(undefined)).toBe(false);
    expect(hasMailInFlight(base)).toBe(false);
    expect(hasMailInFlight({ ...base, bulk_sends: bulk('pending') })).toBe(false);
    expect(hasMailInFlight({ ...base, totals: { ...base.totals, queued: 1 } })).toBe(true);
    expect(hasMailInFlight({ ...base, totals: { ...base.totals, sending: 1 } })).toBe(true);
    expect(hasMailInFlight({ ...base, bulk_sends: bulk('expanding') })).toBe(true);
  });
});
