import { describe, expect, it } from 'vitest';
import type { BillingMailData } from '../mail-data.ts';
import { renderMail } from './render.ts';

const data = (language: 'ko' | 'en', extra: Partial<BillingMailData> = {}): BillingMailData => ({
  language,
  recipient_name: '김민지',
  branding: null,
  order_name: 'eventManager 베이직 프리미엄 (월간)',
  amount: 19_000,
  receipt_url: 'https://dashboard.tosspayments.com/receipt/abc',
  paid_at: '2026-03-01T00:00:00.000Z',
  failure_reason: null,
  next_retry_at: null,
  expired: false,
  subscription_url: 'http://localhost:3000/settings/subscription',
  ...extra,
});
const ctx = { publicUrl: 'http://localhost:3000', now: new Date('2026-03-01T00:00:00Z') };

describe('billing e-mails', () => {
  it("renders the receipt in Korean and English with the amount and Toss's receipt link", async () => {
    const ko = await renderMail({ type: 'billing_receipt', data: data('ko') }, ctx);
    expect(ko.subject).toBe('[eventManager] 결제가 완료되었습니다');
    expect(ko.text).toContain('₩19,000');
    expect(ko.html).toContain('https://dashboard.tosspayments.com/receipt/abc');
    const en = await renderMail({ type: 'billing_receipt', data: data('en') }, ctx);
    expect(en.subject).toBe('[eventManager] Payment received');
    expect(en.text).toContain('View receipt');
  });

  it('says when the next attempt is, or that the subscription expired without deleting data', async () => {
    const retry = await renderMail(
      { type: 'billing_payment_failed', data: data('en', { next_retry_at: '2026-04-02T00:00:00.000Z' }) },
      ctx,
    );
    expect(retry.text).toContain('We will try again on April 2, 2026');
    const expired = await renderMail(
      { type: 'billing_payment_failed', data: data('ko', { expired: true }) },
      ctx,
    );
    expect(expired.text).toContain('데이터는 삭제되지 않았습니다');
  });
});
