import type {
  ConfirmBody,
  Payment,
  PlansResponse,
  PrepareBody,
  Subscription,
  SubscriptionView,
} from '@eventmanager/domain/billing/plans';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { meKey } from './auth.ts';
import { api } from './client.ts';

export const billingKeys = {
  plans: ['plans'] as const,
  subscription: ['subscription'] as const,
  payments: ['payments'] as const,
};

export interface PreparedOrder {
  order_id: string;
  amount: number;
  order_name: string;
  customer_email: string;
  customer_key: string;
  client_key: string;
  kind: 'purchase' | 'upgrade';
  test_mode: boolean;
  checkout_url: string | null;
}

export interface CardRegistration {
  customer_key: string;
  client_key: string;
  billing_auth_url: string | null;
  test_mode: boolean;
}

export function usePlans() {
  return useQuery({
    queryKey: billingKeys.plans,
    queryFn: () => api<PlansResponse>('/api/plans', { auth: false }),
  });
}

export function useSubscription() {
  return useQuery({
    queryKey: billingKeys.subscription,
    queryFn: () => api<SubscriptionView>('/api/subscription'),
  });
}

export function usePayments() {
  return useQuery({
    queryKey: billingKeys.payments,
    queryFn: async () => (await api<{ items: Payment[] }>('/api/payments')).items,
  });
}

export function usePrepare() {
  return useMutation({
    mutationFn: (body: PrepareBody) => api<PreparedOrder>('/api/payments/prepare', { method: 'POST', body }),
  });
}

function useInvalidateBilling() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: billingKeys.subscription }),
      client.invalidateQueries({ queryKey: billingKeys.payments }),
      client.invalidateQueries({ queryKey: meKey }),
    ]);
}

export function useConfirm() {
  const invalidate = useInvalidateBilling();
  return useMutation({
    mutationFn: (body: ConfirmBody) =>
      api<{ subscription: Subscription; payment: Payment }>('/api/payments/confirm', {
        method: 'POST',
        body,
      }),
    onSuccess: () => invalidate(),
  });
}

export function useCancelAtPeriodEnd() {
  const invalidate = useInvalidateBilling();
  return useMutation({
    mutationFn: (atPeriodEnd: boolean) =>
      api<{ subscription: Subscription }>('/api/subscription/cancel', {
        method: 'POST',
        body: { at_period_end: atPeriodEnd },
      }),
    onSuccess: () => invalidate(),
  });
}

export function useCardRegistration() {
  return useMutation({ mutationFn: () => api<CardRegistration>('/api/subscription/card-registration') });
}

export function useRegisterCard() {
  const invalidate = useInvalidateBilling();
  return useMutation({
    mutationFn: (body: { authKey: string; customerKey: string }) =>
      api<{ payment_method: unknown }>('/api/subscription/billing-key', { method: 'POST', body }),
    onSuccess: () => invalidate(),
  });
}

/** "₩19,000": whole won, grouped, in the UI language. */
export function formatKrw(amount: number, lng: string): string {
  return new Intl.NumberFormat(lng === 'ko' ? 'ko-KR' : 'en-US', {
    style: 'currency',
    currency: 'KRW',
    currencyDisplay: 'symbol',
  }).format(amount);
}

/** Where the browser goes to pay: the hosted page (test simulator) with Toss's window parameters. */
export function checkoutHref(order: PreparedOrder, origin: string, lng: string): string | null {
  if (!order.checkout_url) return null;
  const url = new URL(order.checkout_url);
  const params: Record<string, string> = {
    clientKey: order.client_key,
    amount: String(order.amount),
    orderId: order.order_id,
    orderName: order.order_name,
    customerKey: order.customer_key,
    successUrl: `${origin}/billing/success`,
    failUrl: `${origin}/billing/fail`,
    lang: lng,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export function cardRegistrationHref(reg: CardRegistration, origin: string, lng: string): string | null {
  if (!reg.billing_auth_url) return null;
  const url = new URL(reg.billing_auth_url);
  url.searchParams.set('clientKey', reg.client_key);
  url.searchParams.set('customerKey', reg.customer_key);
  url.searchParams.set('successUrl', `${origin}/billing/card`);
  url.searchParams.set('failUrl', `${origin}/billing/fail`);
  url.searchParams.set('lang', lng);
  return url.toString();
}

/** Toss's browser SDK (v1): the payment window for live keys, where no hosted test page is given. */
const TOSS_SDK_URL = 'https://js.tosspayments.com/v1/payment';

interface TossPaymentsSdk {
  requestPayment(method: '카드', params: Record<string, string | number>): Promise<void>;
}
type TossPaymentsFactory = (clientKey: string) => TossPaymentsSdk;

function loadTossSdk(): Promise<TossPaymentsFactory> {
  const existing = (window as unknown as { TossPayments?: TossPaymentsFactory }).TossPayments;
  if (existing) return Promise.resolve(existing);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = TOSS_SDK_URL;
    script.onload = () => {
      const loaded = (window as unknown as { TossPayments?: TossPaymentsFactory }).TossPayments;
      if (loaded) resolve(loaded);
      else reject(new Error('Toss SDK did not load'));
    };
    script.onerror = () => reject(new Error('Toss SDK did not load'));
    document.head.append(script);
  });
}

/**
 * Opens the payment window for a prepared order: the hosted page when the server names one (the
 * local test simulator), else Toss's SDK window with the same parameters. Both come back to
 * /billing/success or /billing/fail.
 */
export async function openPaymentWindow(order: PreparedOrder, origin: string, lng: string): Promise<void> {
  const href = checkoutHref(order, origin, lng);
  if (href) {
    window.location.assign(href);
    return;
  }
  const TossPayments = await loadTossSdk();
  await TossPayments(order.client_key).requestPayment('카드', {
    amount: order.amount,
    orderId: order.order_id,
    orderName: order.order_name,
    customerEmail: order.customer_email,
    successUrl: `${origin}/billing/success`,
    failUrl: `${origin}/billing/fail`,
  });
}
