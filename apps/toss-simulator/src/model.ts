/**
 * Toss Payments' resource shapes (API version 2022-11-16) as the simulator returns them, and the small
 * helpers that format them the way Toss does (KST timestamps, key formats, VAT split).
 */

export const API_VERSION = '2022-11-16';
/** Toss's own test merchant id; real test-key payments carry it too. */
export const TEST_MID = 'tvivarepublica';

export type PaymentStatus =
  | 'READY'
  | 'IN_PROGRESS'
  | 'WAITING_FOR_DEPOSIT'
  | 'DONE'
  | 'CANCELED'
  | 'PARTIAL_CANCELED'
  | 'ABORTED'
  | 'EXPIRED';

export type PaymentMethod = '카드' | '간편결제' | '가상계좌';
export type PaymentType = 'NORMAL' | 'BILLING';

export interface TossCard {
  amount: number;
  issuerCode: string;
  acquirerCode: string;
  number: string;
  installmentPlanMonths: number;
  approveNo: string;
  useCardPoint: boolean;
  cardType: '신용' | '체크' | '기프트';
  ownerType: '개인' | '법인';
  acquireStatus: 'READY' | 'REQUESTED' | 'COMPLETED' | 'CANCEL_REQUESTED' | 'CANCELED';
  isInterestFree: boolean;
  interestPayer: null;
}

export interface TossRefundReceiveAccount {
  bankCode: string;
  accountNumber: string;
  holderName: string;
}

export interface TossVirtualAccount {
  accountType: '일반' | '고정';
  accountNumber: string;
  bankCode: string;
  customerName: string;
  dueDate: string;
  refundStatus: 'NONE' | 'PENDING' | 'FAILED' | 'PARTIAL_FAILED' | 'COMPLETED';
  expired: boolean;
  settlementStatus: 'INCOMPLETED' | 'COMPLETED';
  refundReceiveAccount: TossRefundReceiveAccount | null;
  depositorName: string | null;
}

export interface TossCancel {
  transactionKey: string;
  cancelReason: string;
  taxExemptionAmount: number;
  canceledAt: string;
  transferDiscountAmount: number;
  easyPayDiscountAmount: number;
  receiptKey: string | null;
  cancelAmount: number;
  taxFreeAmount: number;
  refundableAmount: number;
  cancelStatus: 'DONE';
  cancelRequestId: string | null;
}

export interface TossPayment {
  mId: string;
  lastTransactionKey: string | null;
  paymentKey: string;
  orderId: string;
  orderName: string;
  taxExemptionAmount: number;
  status: PaymentStatus;
  requestedAt: string;
  approvedAt: string | null;
  useEscrow: boolean;
  cultureExpense: boolean;
  card: TossCard | null;
  virtualAccount: TossVirtualAccount | null;
  transfer: null;
  mobilePhone: null;
  giftCertificate: null;
  cashReceipt: null;
  cashReceipts: null;
  discount: null;
  cancels: TossCancel[] | null;
  secret: string | null;
  type: PaymentType;
  easyPay: { provider: string; amount: number; discountAmount: number } | null;
  country: 'KR';
  failure: { code: string; message: string } | null;
  isPartialCancelable: boolean;
  receipt: { url: string } | null;
  checkout: { url: string } | null;
  currency: 'KRW';
  totalAmount: number;
  balanceAmount: number;
  suppliedAmount: number;
  vat: number;
  taxFreeAmount: number;
  method: PaymentMethod | null;
  version: string;
  metadata: null;
}

export interface TossBilling {
  mId: string;
  customerKey: string;
  authenticatedAt: string;
  method: '카드';
  billingKey: string;
  card: { issuerCode: string; acquirerCode: string; number: string; cardType: string; ownerType: string };
  cardCompany: string;
  cardNumber: string;
}

/**
 * Test cards offered by the simulator's payment and card-registration pages. A card with `declines`
 * refuses every charge with that Toss code (the card is registered fine, the charge fails), which is how
 * a renewal failure is reproduced from the browser.
 */
export interface TestCard {
  id: string;
  company: string;
  issuerCode: string;
  number: string;
  cardType: '신용' | '체크';
  labelKo: string;
  labelEn: string;
  declines: 'REJECT_CARD_PAYMENT' | 'INVALID_STOPPED_CARD' | null;
}

export const TEST_CARDS: readonly TestCard[] = [
  {
    id: 'ok',
    company: '현대',
    issuerCode: '61',
    number: '43301234****123*',
    cardType: '신용',
    labelKo: '정상 카드 (승인)',
    labelEn: 'Working card (approves)',
    declines: null,
  },
  {
    id: 'insufficient',
    company: '신한',
    issuerCode: '41',
    number: '94903400****816*',
    cardType: '체크',
    labelKo: '잔액 부족 카드 (자동결제 거절)',
    labelEn: 'Insufficient funds (charges refused)',
    declines: 'REJECT_CARD_PAYMENT',
  },
  {
    id: 'stopped',
    company: '국민',
    issuerCode: '11',
    number: '53651001****744*',
    cardType: '신용',
    labelKo: '정지된 카드 (자동결제 거절)',
    labelEn: 'Suspended card (charges refused)',
    declines: 'INVALID_STOPPED_CARD',
  },
];

export function testCard(id: string | undefined): TestCard | undefined {
  return TEST_CARDS.find((c) => c.id === (id ?? 'ok'));
}

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** Toss's timestamps: ISO 8601 in Korea time without milliseconds, e.g. 2024-02-13T12:18:14+09:00. */
export function kst(date: Date): string {
  return `${new Date(date.getTime() + KST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomString(length: number, alphabet = ALNUM): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/** Current Toss payment keys: the first 5 letters of the mId, the KST request time, 5 random characters. */
export function newPaymentKey(now: Date): string {
  const stamp = kst(now).slice(0, 19).replace(/[-T:]/g, '');
  return `${TEST_MID.slice(0, 5)}${stamp}${randomString(5)}`;
}

export function newTransactionKey(): string {
  return `txrd_${randomString(27, LOWER_ALNUM)}`;
}

/** Tax split as Toss reports it: VAT is a rounded eleventh of the taxable amount. */
export function vatSplit(
  totalAmount: number,
  taxFreeAmount: number,
): { suppliedAmount: number; vat: number } {
  const taxable = totalAmount - taxFreeAmount;
  const vat = Math.round(taxable / 11);
  return { suppliedAmount: taxable - vat, vat };
}

export const ORDER_ID_PATTERN = /^[A-Za-z0-9_=-]{6,64}$/;
export const CUSTOMER_KEY_PATTERN = /^[A-Za-z0-9_=.@-]{2,300}$/;
