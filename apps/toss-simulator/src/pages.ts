import type { PaymentMethod, TossPayment } from './model.ts';
import { TEST_CARDS } from './model.ts';

/**
 * The simulator's hosted pages. They stand in for Toss's payment window and card-registration window,
 * which cannot be reached from here, and say loudly that nothing is charged.
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  body { font-family: system-ui, -apple-system, 'Apple SD Gothic Neo', sans-serif; background: #f2f4f6; margin: 0; }
  main { max-width: 28rem; margin: 2rem auto; background: #fff; border-radius: 1rem; padding: 1.5rem;
    box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  .banner { background: #ffe8a3; color: #5c3d00; border: 2px dashed #c98a00; border-radius: .5rem;
    padding: .75rem; font-weight: 700; text-align: center; margin-bottom: 1rem; }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
  dt { color: #6b7684; } dd { margin: 0; font-weight: 600; }
  fieldset { border: 1px solid #e5e8eb; border-radius: .5rem; margin: 0 0 1rem; }
  label { display: block; padding: .25rem 0; }
  .actions { display: flex; gap: .5rem; flex-wrap: wrap; }
  button { font: inherit; padding: .6rem 1rem; border-radius: .5rem; border: 0; cursor: pointer; }
  .primary { background: #3182f6; color: #fff; flex: 1; }
  .secondary { background: #e8f3ff; color: #1b64da; }
  .danger { background: #fee; color: #c0392b; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="ko">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>
<div class="banner" data-testid="test-banner">테스트 결제 · TEST PAYMENT<br><small>실제로 청구되지 않습니다 · Nothing is charged</small></div>
${body}
</main></body></html>`;
}

function hidden(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
}

const METHODS: { value: PaymentMethod; ko: string; en: string }[] = [
  { value: '카드', ko: '신용·체크카드', en: 'Card' },
  { value: '간편결제', ko: '토스페이 (간편결제)', en: 'Toss Pay (easy pay)' },
  { value: '가상계좌', ko: '가상계좌 (무통장입금)', en: 'Virtual account (bank deposit)' },
];

export function checkoutPage(fields: Record<string, string>, method: PaymentMethod): string {
  const amount = Number(fields.amount).toLocaleString('ko-KR');
  const methods = METHODS.map(
    (m) =>
      `<label><input type="radio" name="method" value="${m.value}"${m.value === method ? ' checked' : ''}> ${m.ko} · ${m.en}</label>`,
  ).join('\n');
  return layout(
    '테스트 결제 · Test payment',
    `<h1>결제하기 · Pay</h1>
<dl>
  <dt>주문 · Order</dt><dd data-testid="order-name">${escapeHtml(fields.orderName ?? '')}</dd>
  <dt>주문번호 · Order ID</dt><dd>${escapeHtml(fields.orderId ?? '')}</dd>
  <dt>금액 · Amount</dt><dd data-testid="amount">${escapeHtml(amount)}원 (KRW)</dd>
</dl>
<form method="post" action="/simulator/checkout">
${hidden(fields)}
<fieldset><legend>결제수단 · Method</legend>
${methods}
</fieldset>
<div class="actions">
  <button class="primary" type="submit" name="action" value="pay" data-testid="pay">결제하기 · Pay</button>
  <button class="danger" type="submit" name="action" value="decline" data-testid="decline">카드 거절 · Decline</button>
  <button class="secondary" type="submit" name="action" value="cancel" data-testid="cancel">취소 · Cancel</button>
</div>
</form>`,
  );
}

export function billingAuthPage(fields: Record<string, string>): string {
  const cards = TEST_CARDS.map(
    (c, i) =>
      `<label><input type="radio" name="cardId" value="${c.id}"${i === 0 ? ' checked' : ''}> ${escapeHtml(c.company)} ${escapeHtml(c.number)} — ${escapeHtml(c.labelKo)} · ${escapeHtml(c.labelEn)}</label>`,
  ).join('\n');
  return layout(
    '테스트 카드 등록 · Test card registration',
    `<h1>자동결제 카드 등록 · Register a card for automatic payments</h1>
<form method="post" action="/simulator/billing-auth">
${hidden(fields)}
<fieldset><legend>테스트 카드 · Test card</legend>
${cards}
</fieldset>
<div class="actions">
  <button class="primary" type="submit" name="action" value="register" data-testid="register">카드 등록 · Register card</button>
  <button class="secondary" type="submit" name="action" value="cancel">취소 · Cancel</button>
</div>
</form>`,
  );
}

export function receiptPage(payment: TossPayment): string {
  const rows: [string, string][] = [
    ['주문 · Order', payment.orderName],
    ['주문번호 · Order ID', payment.orderId],
    ['결제수단 · Method', payment.method ?? ''],
    ['상태 · Status', payment.status],
    ['결제금액 · Total', `${payment.totalAmount.toLocaleString('ko-KR')}원`],
    ['공급가액 · Supplied', `${payment.suppliedAmount.toLocaleString('ko-KR')}원`],
    ['부가세 · VAT', `${payment.vat.toLocaleString('ko-KR')}원`],
    ['취소금액 · Canceled', `${(payment.totalAmount - payment.balanceAmount).toLocaleString('ko-KR')}원`],
    ['승인일시 · Approved', payment.approvedAt ?? '-'],
    ['카드 · Card', payment.card?.number ?? '-'],
  ];
  return layout(
    '테스트 영수증 · Test receipt',
    `<h1>영수증 · Receipt</h1>
<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
  );
}

export function errorPage(code: string, message: string): string {
  return layout(
    '오류 · Error',
    `<h1>오류 · Error</h1><p><code>${escapeHtml(code)}</code></p><p>${escapeHtml(message)}</p>`,
  );
}
