import type { Language } from '@eventmanager/domain/common/schema';
import type { CommonStrings } from './content.ts';

/**
 * Every sentence of every e-mail, Korean and English. Functions, not format strings, so each
 * language orders the parts naturally (Korean puts the event before the verb).
 */
export interface MailStrings {
  common: CommonStrings;
  confirmation: {
    registered: {
      subject: (e: string) => string;
      heading: string;
      body: (e: string) => string[];
      qr: string;
    };
    pending: { subject: (e: string) => string; heading: string; body: (e: string) => string[] };
    waitlist: { subject: (e: string) => string; heading: string; body: (e: string) => string[] };
  };
  promotion: { subject: (e: string) => string; heading: string; body: (e: string) => string[]; qr: string };
  approved: { subject: (e: string) => string; heading: string; body: (e: string) => string[]; qr: string };
  rejected: { subject: (e: string) => string; heading: string; body: (e: string) => string[] };
  /** The organizer cancelled the registration. */
  cancelled: { subject: (e: string) => string; heading: string; body: (e: string) => string[] };
  /** The organizer restored a cancelled registration: a seat, or a place on the waitlist. */
  restored: {
    registered: {
      subject: (e: string) => string;
      heading: string;
      body: (e: string) => string[];
      qr: string;
    };
    waitlist: { subject: (e: string) => string; heading: string; body: (e: string) => string[] };
  };
  reminder1d: { subject: (e: string) => string; heading: string; body: (e: string) => string[]; qr: string };
  reminder3h: { subject: (e: string) => string; heading: string; body: (e: string) => string[]; qr: string };
  thankYou: { subject: (e: string) => string; heading: string; body: (e: string) => string[] };
  deletion: {
    subject: (mode: 'deleted' | 'anonymised') => string;
    heading: (mode: 'deleted' | 'anonymised') => string;
    body: (mode: 'deleted' | 'anonymised', event: string | null) => string[];
  };
  /** Account e-mails; `until` is the link's expiry, already formatted. */
  verification: { subject: string; heading: string; body: (until: string) => string[]; action: string };
  passwordReset: { subject: string; heading: string; body: (until: string) => string[]; action: string };
  invitation: {
    subject: (e: string) => string;
    heading: string;
    body: (inviter: string, e: string, until: string) => string[];
    action: string;
  };
  summary: {
    subject: (e: string) => string;
    heading: string;
    body: (e: string) => string[];
    openDashboard: string;
    attendanceRate: string;
    labels: {
      registered: string;
      checked_in: string;
      no_show: string;
      waitlist: string;
      pending: string;
      cancelled: string;
    };
  };
}

const ko: MailStrings = {
  common: {
    brand: 'eventManager',
    when: '일시',
    where: '장소',
    online: '온라인 링크',
    registrationNumber: '등록 번호',
    ticketCode: '티켓 코드',
    manageRegistration: '내 등록 관리 (정보 수정·취소)',
    viewEvent: '이벤트 페이지 보기',
    attachedCalendar: '첨부된 event.ics 파일로 캘린더에 일정을 추가할 수 있습니다.',
    footerParticipant: (e) => `이 메일은 「${e}」 참가 신청에 따라 발송되었습니다.`,
    footerOrganizer: '이 메일은 eventManager 주최자 계정 알림 설정에 따라 발송되었습니다.',
    footerPrivacy: '개인정보는 이벤트 운영 목적으로만 이용되며, 관리 링크에서 삭제를 요청할 수 있습니다.',
    greeting: (n) => `${n}님, 안녕하세요.`,
    waitlistPosition: '대기 순번',
    waitlistPositionValue: (n) => `${n}번째`,
    map: '지도',
    kakaoMap: '카카오맵',
    naverMap: '네이버 지도',
    contact: '주최자 연락처',
  },
  confirmation: {
    registered: {
      subject: (e) => `[${e}] 등록이 완료되었습니다`,
      heading: '등록이 완료되었습니다',
      body: (e) => [`「${e}」에 등록되었습니다. 참가해 주셔서 감사합니다.`],
      qr: '행사장 입구에서 이 QR 코드를 보여 주세요.',
    },
    pending: {
      subject: (e) => `[${e}] 참가 신청이 접수되었습니다 (승인 대기)`,
      heading: '참가 신청이 접수되었습니다',
      body: (e) => [
        `「${e}」 참가 신청을 받았습니다.`,
        '주최자가 신청을 검토한 뒤 결과를 이메일로 알려 드립니다.',
      ],
    },
    waitlist: {
      subject: (e) => `[${e}] 대기자 명단에 등록되었습니다`,
      heading: '대기자 명단에 등록되었습니다',
      body: (e) => [
        `「${e}」의 정원이 모두 찼습니다.`,
        '자리가 생기면 신청 순서대로 참가가 확정되며, 확정되면 입장 QR 코드와 함께 이메일로 알려 드립니다.',
      ],
    },
  },
  promotion: {
    subject: (e) => `[${e}] 대기가 풀려 참가가 확정되었습니다`,
    heading: '참가가 확정되었습니다',
    body: (e) => [`기다려 주셔서 감사합니다. 「${e}」에 자리가 생겨 참가가 확정되었습니다.`],
    qr: '행사장 입구에서 이 QR 코드를 보여 주세요.',
  },
  approved: {
    subject: (e) => `[${e}] 참가 신청이 승인되었습니다`,
    heading: '참가 신청이 승인되었습니다',
    body: (e) => [`주최자가 「${e}」 참가 신청을 승인했습니다.`],
    qr: '행사장 입구에서 이 QR 코드를 보여 주세요.',
  },
  rejected: {
    subject: (e) => `[${e}] 참가 신청 결과 안내`,
    heading: '참가 신청 결과 안내',
    body: (e) => [
      `아쉽게도 이번 「${e}」 참가 신청은 승인되지 않았습니다.`,
      '관심을 가져 주셔서 감사합니다. 다음 행사에서 뵙기를 바랍니다.',
    ],
  },
  cancelled: {
    subject: (e) => `[${e}] 참가 등록이 취소되었습니다`,
    heading: '참가 등록이 취소되었습니다',
    body: (e) => [
      `주최자가 「${e}」 참가 등록을 취소했습니다. 입장 QR 코드는 더 이상 사용할 수 없습니다.`,
      '문의가 있으면 이 메일에 회신하거나 이벤트 페이지의 주최자 연락처로 연락해 주세요.',
    ],
  },
  restored: {
    registered: {
      subject: (e) => `[${e}] 참가 등록이 다시 확정되었습니다`,
      heading: '참가 등록이 다시 확정되었습니다',
      body: (e) => [`주최자가 「${e}」 참가 등록을 복원했습니다. 참가가 확정되었습니다.`],
      qr: '행사장 입구에서 이 QR 코드를 보여 주세요.',
    },
    waitlist: {
      subject: (e) => `[${e}] 참가 등록이 대기자 명단으로 복원되었습니다`,
      heading: '대기자 명단으로 복원되었습니다',
      body: (e) => [
        `주최자가 「${e}」 참가 등록을 복원했습니다. 지금은 정원이 차 있어 대기자 명단에 올랐습니다.`,
        '자리가 생기면 순서대로 참가가 확정되며 이메일로 알려 드립니다.',
      ],
    },
  },
  reminder1d: {
    subject: (e) => `[내일] ${e} 참가 안내`,
    heading: '내일 만나요!',
    body: (e) => [`「${e}」이(가) 내일 열립니다. 일시와 장소를 확인해 주세요.`],
    qr: '입장할 때 이 QR 코드를 보여 주세요.',
  },
  reminder3h: {
    subject: (e) => `[3시간 후 시작] ${e}`,
    heading: '곧 시작합니다',
    body: (e) => [`「${e}」이(가) 약 3시간 후에 시작합니다.`],
    qr: '입장할 때 이 QR 코드를 보여 주세요.',
  },
  thankYou: {
    subject: (e) => `[${e}] 참석해 주셔서 감사합니다`,
    heading: '참석해 주셔서 감사합니다',
    body: (e) => [`「${e}」에 함께해 주셔서 감사합니다.`, '다음 행사에서 다시 만나기를 기대합니다.'],
  },
  deletion: {
    subject: (m) => (m === 'deleted' ? '개인정보가 삭제되었습니다' : '개인정보가 익명 처리되었습니다'),
    heading: (m) => (m === 'deleted' ? '개인정보가 삭제되었습니다' : '개인정보가 익명 처리되었습니다'),
    body: (m, e) => [
      m === 'deleted'
        ? `요청하신 대로 ${e ? `「${e}」 ` : ''}참가 등록을 취소하고 귀하의 개인정보를 삭제했습니다.`
        : `요청하신 대로 ${e ? `「${e}」의 ` : ''}참가 기록에서 귀하를 식별할 수 있는 정보를 모두 제거했습니다. 통계용 익명 데이터만 남습니다.`,
      '이 메일을 끝으로 더 이상 이 이벤트 관련 메일을 보내지 않습니다.',
    ],
  },
  verification: {
    subject: '이메일 주소를 확인해 주세요',
    heading: '이메일 주소 확인',
    body: (until) => [
      'eventManager에 가입해 주셔서 감사합니다. 아래 버튼을 눌러 이 주소가 본인의 것임을 확인해 주세요.',
      `링크는 ${until}까지 한 번만 쓸 수 있습니다. 가입하지 않으셨다면 이 메일을 무시하셔도 됩니다.`,
    ],
    action: '이메일 주소 확인하기',
  },
  passwordReset: {
    subject: '비밀번호 재설정 안내',
    heading: '비밀번호 재설정',
    body: (until) => [
      '비밀번호 재설정을 요청하셨습니다. 아래 버튼을 눌러 새 비밀번호를 정해 주세요. 재설정하면 모든 기기에서 로그아웃됩니다.',
      `링크는 ${until}까지 한 번만 쓸 수 있습니다. 요청하지 않으셨다면 이 메일을 무시하셔도 됩니다. 비밀번호는 바뀌지 않습니다.`,
    ],
    action: '새 비밀번호 정하기',
  },
  invitation: {
    subject: (e) => `[${e}] 스태프 초대`,
    heading: '스태프로 초대되었습니다',
    body: (inviter, e, until) => [
      `${inviter}님이 「${e}」의 스태프로 초대했습니다. 수락하면 참가자 명단을 보고 체크인을 할 수 있습니다.`,
      `이 주소로 가입하고 이메일을 확인한 계정으로 수락해 주세요. 초대는 ${until}까지 유효합니다.`,
    ],
    action: '초대 수락하기',
  },
  summary: {
    subject: (e) => `[${e}] 행사 결과 요약`,
    heading: '행사 결과 요약',
    body: (e) => [`「${e}」이(가) 종료되었습니다. 수고 많으셨습니다! 최종 집계는 다음과 같습니다.`],
    openDashboard: '대시보드에서 자세히 보기',
    attendanceRate: '출석률',
    labels: {
      registered: '등록',
      checked_in: '출석',
      no_show: '불참',
      waitlist: '대기',
      pending: '승인 대기',
      cancelled: '취소',
    },
  },
};

const en: MailStrings = {
  common: {
    brand: 'eventManager',
    when: 'When',
    where: 'Where',
    online: 'Online link',
    registrationNumber: 'Registration no.',
    ticketCode: 'Ticket code',
    manageRegistration: 'Manage your registration',
    viewEvent: 'View the event page',
    attachedCalendar: 'Add it to your calendar with the attached event.ics file.',
    footerParticipant: (e) => `You are receiving this e-mail because you registered for “${e}”.`,
    footerOrganizer:
      'You are receiving this e-mail because notifications are on in your eventManager account.',
    footerPrivacy:
      'Your data is used only to run this event; you can ask for its deletion from the manage link.',
    greeting: (n) => `Hi ${n},`,
    waitlistPosition: 'Waitlist position',
    waitlistPositionValue: (n) => `#${n}`,
    map: 'Map',
    kakaoMap: 'Kakao Map',
    naverMap: 'Naver Map',
    contact: 'Organizer contact',
  },
  confirmation: {
    registered: {
      subject: (e) => `You're registered: ${e}`,
      heading: "You're registered",
      body: (e) => [`Your registration for “${e}” is confirmed. Thank you for signing up!`],
      qr: 'Show this QR code at the entrance.',
    },
    pending: {
      subject: (e) => `Registration received (awaiting approval): ${e}`,
      heading: 'We received your registration',
      body: (e) => [
        `Thanks for registering for “${e}”.`,
        'The organizer reviews each registration; we will e-mail you the decision.',
      ],
    },
    waitlist: {
      subject: (e) => `You're on the waitlist: ${e}`,
      heading: "You're on the waitlist",
      body: (e) => [
        `“${e}” is full right now.`,
        'When a spot opens, the waitlist moves up in order and we will e-mail you your ticket.',
      ],
    },
  },
  promotion: {
    subject: (e) => `A spot opened up — you're in: ${e}`,
    heading: "Good news — you're in",
    body: (e) => [`Thanks for waiting. A spot opened up at “${e}” and your place is now confirmed.`],
    qr: 'Show this QR code at the entrance.',
  },
  approved: {
    subject: (e) => `Registration approved: ${e}`,
    heading: 'Your registration is approved',
    body: (e) => [`The organizer approved your registration for “${e}”.`],
    qr: 'Show this QR code at the entrance.',
  },
  rejected: {
    subject: (e) => `About your registration: ${e}`,
    heading: 'About your registration',
    body: (e) => [
      `We're sorry — your registration for “${e}” was not approved this time.`,
      'Thank you for your interest; we hope to see you at a future event.',
    ],
  },
  cancelled: {
    subject: (e) => `Your registration was cancelled: ${e}`,
    heading: 'Your registration was cancelled',
    body: (e) => [
      `The organizer cancelled your registration for “${e}”. Your ticket QR code is no longer valid.`,
      'Questions? Reply to this e-mail or use the organizer contact on the event page.',
    ],
  },
  restored: {
    registered: {
      subject: (e) => `Your registration is back: ${e}`,
      heading: 'Your registration is back',
      body: (e) => [`The organizer restored your registration for “${e}”. Your place is confirmed.`],
      qr: 'Show this QR code at the entrance.',
    },
    waitlist: {
      subject: (e) => `Your registration is back on the waitlist: ${e}`,
      heading: "You're back on the waitlist",
      body: (e) => [
        `The organizer restored your registration for “${e}”. The event is full, so you are on the waitlist.`,
        'When a spot opens, the waitlist moves up in order and we will e-mail you your ticket.',
      ],
    },
  },
  reminder1d: {
    subject: (e) => `Tomorrow: ${e}`,
    heading: 'See you tomorrow!',
    body: (e) => [`“${e}” takes place tomorrow. Here are the details.`],
    qr: 'Show this QR code when you arrive.',
  },
  reminder3h: {
    subject: (e) => `Starting in 3 hours: ${e}`,
    heading: 'Starting soon',
    body: (e) => [`“${e}” starts in about 3 hours.`],
    qr: 'Show this QR code when you arrive.',
  },
  thankYou: {
    subject: (e) => `Thank you for joining ${e}`,
    heading: 'Thank you for coming',
    body: (e) => [`Thank you for joining “${e}”.`, 'We hope to see you again at the next one.'],
  },
  deletion: {
    subject: (m) =>
      m === 'deleted' ? 'Your personal data has been deleted' : 'Your personal data has been anonymised',
    heading: (m) => (m === 'deleted' ? 'Your data has been deleted' : 'Your data has been anonymised'),
    body: (m, e) => [
      m === 'deleted'
        ? `As you asked, we cancelled your registration${e ? ` for “${e}”` : ''} and deleted your personal data.`
        : `As you asked, we removed everything that identifies you from the attendance records${e ? ` of “${e}”` : ''}. Only anonymous statistics remain.`,
      'This is the last e-mail you will receive about this event.',
    ],
  },
  verification: {
    subject: 'Please confirm your e-mail address',
    heading: 'Confirm your e-mail address',
    body: (until) => [
      'Thanks for signing up for eventManager. Press the button below to confirm that this address is yours.',
      `The link works once, until ${until}. If you did not sign up, you can ignore this e-mail.`,
    ],
    action: 'Confirm my e-mail address',
  },
  passwordReset: {
    subject: 'Reset your password',
    heading: 'Reset your password',
    body: (until) => [
      'You asked to reset your password. Press the button below to choose a new one; every device will be logged out.',
      `The link works once, until ${until}. If you did not ask for this, ignore this e-mail: your password stays as it is.`,
    ],
    action: 'Choose a new password',
  },
  invitation: {
    subject: (e) => `You're invited to staff ${e}`,
    heading: "You're invited as staff",
    body: (inviter, e, until) => [
      `${inviter} invited you to be staff at “${e}”. Once you accept, you can see the participant list and check people in.`,
      `Accept with an account that uses this address and has confirmed it. The invitation is valid until ${until}.`,
    ],
    action: 'Accept the invitation',
  },
  summary: {
    subject: (e) => `Event summary: ${e}`,
    heading: 'Your event summary',
    body: (e) => [`“${e}” is over — well done! Here are the final figures.`],
    openDashboard: 'Open the dashboard',
    attendanceRate: 'Attendance rate',
    labels: {
      registered: 'Registered',
      checked_in: 'Checked in',
      no_show: 'No-shows',
      waitlist: 'Waitlist',
      pending: 'Awaiting approval',
      cancelled: 'Cancelled',
    },
  },
};

export const mailStrings: Record<Language, MailStrings> = { ko, en };
