/**
 * Toss Payments' error codes that this simulator can answer, with the HTTP status and the Korean and
 * English messages Toss documents for each (API error-code reference, core API table). Toss answers
 * errors as `{ code, message }`, the message in Korean unless the request says `Accept-Language: en-US`.
 */
export const TOSS_ERRORS = {
  ALREADY_CANCELED_PAYMENT: [400, '이미 취소된 결제 입니다.', 'The payment has already been canceled.'],
  ALREADY_PROCESSED_PAYMENT: [
    400,
    '이미 처리된 결제 입니다.',
    'This is a payment that has already been processed.',
  ],
  BELOW_MINIMUM_AMOUNT: [
    400,
    '신용카드는 결제금액이 100원 이상, 계좌는 200원이상부터 결제가 가능합니다.',
    'Payment can be made from 100 won or more by credit card, and 200 won or more for account.',
  ],
  CARD_PROCESSING_ERROR: [400, '카드사에서 오류가 발생했습니다.', 'An error occurred at the card company.'],
  DUPLICATED_ORDER_ID: [
    400,
    '이미 승인 및 취소가 진행된 중복된 주문번호 입니다. 다른 주문번호로 진행해주세요.',
    'This is a duplicate order id that has already been approved or canceled. Please proceed with a different order id.',
  ],
  EXCEED_MAX_AMOUNT: [
    400,
    '거래금액 한도를 초과했습니다.',
    'The transaction amount limit has been exceeded.',
  ],
  EXCEED_MAX_DAILY_PAYMENT_COUNT: [
    400,
    '하루 결제 가능 횟수를 초과했습니다.',
    'You have exceeded the number of daily payments.',
  ],
  EXCEED_MAX_PAYMENT_AMOUNT: [
    400,
    '하루 결제 가능 금액을 초과했습니다.',
    'You have exceeded the amount you can pay per day.',
  ],
  INCORRECT_BASIC_AUTH_FORMAT: [
    403,
    "잘못된 요청입니다. ':' 를 포함해 인코딩해주세요.",
    "It is a wrong request. Please encode it including ':'.",
  ],
  INVALID_API_KEY: [400, '잘못된 시크릿키 연동 정보 입니다.', 'Incorrect secret key.'],
  INVALID_BILLING_AUTH: [400, '유효하지 않은 빌링 인증입니다.', 'Invalid billing authentication.'],
  INVALID_BILL_KEY_REQUEST: [
    400,
    '빌링키 인증이 완료되지 않았거나 유효하지 않은 빌링 거래 건입니다.',
    'Billing key authentication has not been completed or is an invalid billing transaction.',
  ],
  INVALID_CARD_EXPIRATION: [
    400,
    '카드 정보를 다시 확인해주세요. (유효기간)',
    'Please check the card expiration date information again.',
  ],
  INVALID_CARD_LOST_OR_STOLEN: [400, '분실 혹은 도난 카드입니다.', 'This is a lost or stolen card.'],
  INVALID_CARD_NUMBER: [400, '카드번호를 다시 확인해주세요.', 'Please check your card number again.'],
  INVALID_CLIENT_KEY: [400, '잘못된 클라이언트 연동 정보 입니다.', 'Incorrect client key.'],
  INVALID_CUSTOMER_KEY: [
    400,
    '`customerKey`는 영문 대소문자, 숫자, 특수문자 -, _, =, ., @로 2자 이상 300자 이하여야 합니다.',
    '`customerKey` must be 2 to 300 upper and lower case alphabets, numbers, special characters (-, _, =, ., @).',
  ],
  INVALID_EMAIL: [400, '이메일 주소 형식에 맞지 않습니다.', "It doesn't match the email address format."],
  INVALID_IDEMPOTENCY_KEY: [
    400,
    '멱등키는 300자 이하여야 합니다.',
    'The idempotency key must be 300 characters or less.',
  ],
  INVALID_ORDER_ID: [
    400,
    '`orderId`는 영문 대소문자, 숫자, 특수문자(-, _, =) 만 허용합니다. 6자 이상 64자 이하여야 합니다.',
    'The order id must be at least 6 and maximum 64 upper and lower case alphabets, numbers, special characters (-, _, =).',
  ],
  INVALID_ORDER_NAME: [
    400,
    '주문 이름은 100자 이하여야 합니다.',
    'The order name must be 100 characters or less.',
  ],
  INVALID_REJECT_CARD: [
    400,
    '카드 사용이 거절되었습니다. 카드사 문의가 필요합니다.',
    'Refer to card issuer/decline.',
  ],
  INVALID_REQUEST: [400, '잘못된 요청입니다.', 'The bad request.'],
  INVALID_STOPPED_CARD: [400, '정지된 카드 입니다.', 'This is a suspended card.'],
  INVALID_TEST_CODE: [400, '유효하지 않은 테스트 코드입니다.', 'Invalid test code'],
  NOT_MATCHES_CUSTOMER_KEY: [
    400,
    '빌링 인증 고객키와 결제 요청 고객키가 일치하지 않습니다.',
    'The billing authentication customer key and the payment request customer key do not match.',
  ],
  PROVIDER_ERROR: [
    400,
    '일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요.',
    'This is temporary error. Please try again in a few minutes.',
  ],
  UNAUTHORIZED_KEY: [
    401,
    '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.',
    'This is an unauthenticated secret key or client key.',
  ],
  EXCEED_MAX_AUTH_COUNT: [
    403,
    '최대 인증 횟수를 초과했습니다. 카드사로 문의해주세요.',
    'The maximum number of authentications has been exceeded. Please contact your credit card company.',
  ],
  FDS_ERROR: [
    403,
    '[토스페이먼츠] 위험거래가 감지되어 결제가 제한됩니다.',
    '[TossPayments] Payment is restricted because a risky transaction was detected.',
  ],
  FORBIDDEN_REQUEST: [403, '허용되지 않은 요청입니다.', 'This request is not allowed.'],
  NOT_ALLOWED_PARTIAL_REFUND: [
    403,
    '에스크로 주문, 현금 카드 결제 등의 사유로 부분 환불이 불가합니다.',
    'Partial refunds are not available for reasons such as escrow or cash payment.',
  ],
  NOT_ALLOWED_PARTIAL_REFUND_WAITING_DEPOSIT: [
    403,
    '입금 대기중인 결제는 부분 환불이 불가합니다.',
    'Partial refunds are not available while pending deposit.',
  ],
  NOT_CANCELABLE_AMOUNT: [403, '취소 할 수 없는 금액 입니다.', 'This is a non-cancelable amount.'],
  NOT_CANCELABLE_PAYMENT: [403, '취소 할 수 없는 결제 입니다.', 'This is a non-cancelable payment.'],
  REJECT_ACCOUNT_PAYMENT: [
    403,
    '잔액부족으로 결제에 실패했습니다.',
    'Payment failed due to insufficient balance',
  ],
  REJECT_CARD_COMPANY: [403, '결제 승인이 거절되었습니다.', 'Payment confirm is rejected'],
  REJECT_CARD_PAYMENT: [
    403,
    '한도초과 혹은 잔액부족으로 결제에 실패했습니다.',
    'Payment failed due to exceeding the limit or insufficient balance.',
  ],
  NOT_FOUND: [404, '존재하지 않는 정보 입니다.', 'This information does not exist.'],
  NOT_FOUND_BILLING: [
    404,
    '존재하지 않는 빌링 결제 인증 정보 입니다.',
    'Billing payment authentication information that does not exist.',
  ],
  NOT_FOUND_PAYMENT: [404, '존재하지 않는 결제 정보 입니다.', 'The payment does not exist.'],
  NOT_FOUND_PAYMENT_SESSION: [
    404,
    '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.',
    'Payment session does not exist because the session time has expired.',
  ],
  IDEMPOTENT_REQUEST_PROCESSING: [
    409,
    '이전 멱등 요청이 처리중입니다.',
    'The previous idempotent request is being processed.',
  ],
  FAILED_INTERNAL_SYSTEM_PROCESSING: [
    500,
    '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.',
    'Internal system processing operation has failed. Please try again in a few minutes.',
  ],
  FAILED_PAYMENT_INTERNAL_SYSTEM_PROCESSING: [
    500,
    '결제 기관(카드사, 은행, 국세청 등) 오류입니다.',
    'Provider error. The error message received from provider will be displayed.',
  ],
  UNKNOWN_PAYMENT_ERROR: [
    500,
    '결제에 실패했어요. 같은 문제가 반복된다면 은행이나 카드사로 문의해주세요.',
    'Payment failed. If the same problem persists, please contact your bank or card company.',
  ],
  // Errors the payment window (not the API) hands to failUrl.
  PAY_PROCESS_CANCELED: [
    400,
    '사용자에 의해 결제가 취소되었습니다.',
    'Payment has been canceled by the customer.',
  ],
  PAY_PROCESS_ABORTED: [
    400,
    '결제 진행 중 승인에 실패하여 결제가 중단되었습니다.',
    'Payment has been canceled or has not been processed.',
  ],
} as const satisfies Record<string, readonly [number, string, string]>;

export type TossErrorCode = keyof typeof TOSS_ERRORS;

export function isTossErrorCode(code: string): code is TossErrorCode {
  return Object.hasOwn(TOSS_ERRORS, code);
}

export type Language = 'ko' | 'en';

/** Toss answers in English only when asked with `Accept-Language: en…`. */
export function languageOf(acceptLanguage: string | undefined): Language {
  return acceptLanguage?.trim().toLowerCase().startsWith('en') ? 'en' : 'ko';
}

export interface TossErrorBody {
  code: TossErrorCode;
  message: string;
}

/** A Toss error on its way to the client: handlers throw it, the error handler renders `{code, message}`. */
export class TossError extends Error {
  readonly code: TossErrorCode;
  readonly status: number;

  constructor(code: TossErrorCode) {
    super(TOSS_ERRORS[code][1]);
    this.code = code;
    this.status = TOSS_ERRORS[code][0];
  }

  body(language: Language): TossErrorBody {
    return { code: this.code, message: messageOf(this.code, language) };
  }
}

export function messageOf(code: TossErrorCode, language: Language): string {
  const [, ko, en] = TOSS_ERRORS[code];
  return language === 'en' ? en : ko;
}
