import { PLANS } from '@eventmanager/domain/billing/plans';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterAll, describe, expect, it } from 'vitest';
import { billingKeys, checkoutHref, formatKrw } from '../../api/billing.ts';
import { ApiError } from '../../api/problem.ts';
import i18n from '../../i18n/index.ts';
import { ErrorState } from '../../ui/states.tsx';
import { PaymentFailPage } from './CheckoutResultPages.tsx';
import { PlanLimitHint } from './PlanLimitHint.tsx';

afterAll(() => i18n.changeLanguage('ko'));

describe('billing in the browser', () => {
  it('formats won with the ₩ sign and grouping', () => {
    expect(formatKrw(19_000, 'ko')).toBe('₩19,000');
    expect(formatKrw(490_000, 'en')).toBe('₩490,000');
  });

  it("builds the hosted payment page's address with Toss's window parameters, or none for the SDK", () => {
    const order = {
      order_id: 'em_1',
      amount: 19_000,
      order_name: 'eventManager',
      customer_email: 'a@b.c',
      customer_key: 'cus_1',
      client_key: 'ck',
      kind: 'purchase' as const,
      test_mode: true,
      checkout_url: 'http://127.0.0.1:9/simulator/checkout',
    };
    const href = new URL(checkoutHref(order, 'http://app.local', 'en')!);
    expect(Object.fromEntries(href.searchParams)).toMatchObject({
      clientKey: 'ck',
      amount: '19000',
      orderId: 'em_1',
      successUrl: 'http://app.local/billing/success',
      failUrl: 'http://app.local/billing/fail',
    });
    expect(checkoutHref({ ...order, checkout_url: null }, 'http://app.local', 'en')).toBeNull();
  });

  it("shows Toss's failure in the reader's language", async () => {
    await i18n.changeLanguage('en');
    render(
      <MemoryRouter
        initialEntries={['/billing/fail?code=REJECT_CARD_COMPANY&message=%EC%B9%B4%EB%93%9C%EC%82%AC']}
      >
        <Routes>
          <Route path="/billing/fail" element={<PaymentFailPage />} />
        </Routes>
      </MemoryRouter>,
    );
    expect(screen.getByRole('alert').textContent).toBe(
      'The card company declined the payment. Please try another card.',
    );
  });

  it('links a plan-limit refusal to the pricing page', async () => {
    await i18n.changeLanguage('ko');
    const error = new ApiError({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      code: 'plan_limit',
    } as never);
    render(
      <MemoryRouter>
        <ErrorState error={error} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: '요금제 보기' }).getAttribute('href')).toBe('/pricing');
  });
});

describe('PlanLimitHint', () => {
  it('shows the plan limit next to the control, with a link to the plans', async () => {
    await i18n.changeLanguage('en');
    const client = new QueryClient();
    client.setQueryData(billingKeys.subscription, {
      tier: 'free',
      subscription: null,
      usage: { events: 1, max_admitted_participants_in_an_event: 0, max_staff_in_an_event: 3 },
      limits: PLANS.free.limits,
    });
    render(
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <PlanLimitHint limit="staff_per_event" used={3} />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const hint = screen.getByTestId('plan-hint-staff_per_event');
    expect(hint.textContent).toBe('Free plan: Staff per event 3 of 3 See plans');
    expect(within(hint).getByRole('link', { name: 'See plans' }).getAttribute('href')).toBe('/pricing');
  });
});
