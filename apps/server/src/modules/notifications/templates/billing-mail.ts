import type { Language } from '@eventmanager/domain/common/schema';
import type { BillingMailData } from '../mail-data.ts';
import type { MailContent } from './content.ts';
import { formatNumber, safeUrl } from './format.ts';
import { mailStrings } from './strings.ts';

/** Sentences of the billing e-mails (receipt, failed renewal), Korean and English. */
const strings: Record<
  Language,
  {
    receipt: { subject: string; heading: string; body: string[]; openReceipt: string };
    failed: { subject: string; heading: string; retry: (at: string) => string; expired: string[] };
    labels: { order: string; amount: string; paidAt: string; reason: string };
    manage: string;
    won: (amount: string) => string;
  }
> = {
  ko: {
    receipt: {
      subject: '[eventManager] 결제가 완료되었습니다',
      heading: '결제가 완료되었습니다',
      body: ['eventManager 플랜 결제가 정상적으로 완료되었습니다. 이용해 주셔서 감사합니다.'],
      openReceipt: '영수증 보기',
    },
    failed: {
      subject: '[eventManager] 구독 결제에 실패했습니다',
      heading: '구독 결제에 실패했습니다',
      retry: (at) =>
        `등록된 카드로 결제하지 못했습니다. ${at}에 다시 시도합니다. 카드 정보를 확인하거나 새 카드를 등록해 주세요.`,
      expired: [
        '여러 차례 결제를 시도했지만 실패하여 구독이 만료되었습니다. 계정은 무료 플랜으로 전환되었습니다.',
        '데이터는 삭제되지 않았습니다. 무료 플랜 한도를 넘는 항목은 읽기 전용이 되며, 다시 구독하면 즉시 사용할 수 있습니다.',
      ],
    },
    labels: { order: '주문', amount: '금액 (부가세 포함)', paidAt: '결제 일시', reason: '사유' },
    manage: '구독 관리',
    won: (a) => `₩${a}`,
  },
  en: {
    receipt: {
      subject: '[eventManager] Payment received',
      heading: 'Payment received',
      body: ['Your eventManager plan payment went through. Thank you.'],
      openReceipt: 'View receipt',
    },
    failed: {
      subject: '[eventManager] Your subscription payment failed',
      heading: 'Your subscription payment failed',
      retry: (at) =>
        `We could not charge your card. We will try again on ${at}. Please check your card or register a new one.`,
      expired: [
        'After several attempts the payment still failed, so your subscription has expired and your account is on the free plan.',
        'Nothing was deleted: what exceeds the free plan is read-only, and subscribing again restores it at once.',
      ],
    },
    labels: { order: 'Order', amount: 'Amount (VAT incl.)', paidAt: 'Paid at', reason: 'Reason' },
    manage: 'Manage subscription',
    won: (a) => `₩${a}`,
  },
};

function formatInstant(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'ko' ? 'ko-KR' : 'en-US', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Seoul',
  }).format(new Date(iso));
}

export function renderBillingMail(
  type: 'billing_receipt' | 'billing_payment_failed',
  d: BillingMailData,
): MailContent {
  const s = strings[d.language];
  const common = mailStrings[d.language].common;
  const amount = s.won(formatNumber(d.amount, d.language));
  const manage = safeUrl(d.subscription_url);
  if (type === 'billing_receipt') {
    const receipt = safeUrl(d.receipt_url);
    return {
      cover: null,
      subject: s.receipt.subject,
      preheader: s.receipt.body[0]!,
      heading: s.receipt.heading,
      paragraphs: [common.greeting(d.recipient_name), ...s.receipt.body],
      details: [
        { label: s.labels.order, value: d.order_name },
        { label: s.labels.amount, value: amount },
        { label: s.labels.paidAt, value: formatInstant(d.paid_at, d.language) },
      ],
      qrCaption: null,
      actions: [
        ...(receipt ? [{ label: s.receipt.openReceipt, url: receipt }] : []),
        ...(manage ? [{ label: s.manage, url: manage }] : []),
      ],
      stats: [],
      footer: common.footerOrganizer,
    };
  }
  const body =
    d.expired || !d.next_retry_at
      ? s.failed.expired
      : [s.failed.retry(formatInstant(d.next_retry_at, d.language))];
  return {
    cover: null,
    subject: s.failed.subject,
    preheader: body[0]!,
    heading: s.failed.heading,
    paragraphs: [common.greeting(d.recipient_name), ...body],
    details: [
      { label: s.labels.order, value: d.order_name },
      { label: s.labels.amount, value: amount },
      ...(d.failure_reason ? [{ label: s.labels.reason, value: d.failure_reason }] : []),
    ],
    qrCaption: null,
    actions: manage ? [{ label: s.manage, url: manage }] : [],
    stats: [],
    footer: common.footerOrganizer,
  };
}
