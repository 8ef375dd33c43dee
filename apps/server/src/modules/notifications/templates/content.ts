/** A rendered e-mail before it is laid out: the same model produces the HTML and plain-text parts. */
export interface MailContent {
  subject: string;
  /** The inbox preview line (hidden in the body). */
  preheader: string;
  heading: string;
  /** The event's cover image, shown above the heading. */
  cover: { url: string; alt: string } | null;
  paragraphs: string[];
  /** Label/value rows; `links` makes the value a row of links (map links), `value` their text form. */
  details: { label: string; value: string; links?: { label: string; url: string }[] }[];
  /** Show the ticket QR (inline image) with this caption. */
  qrCaption: string | null;
  actions: { label: string; url: string }[];
  stats: { label: string; value: string }[];
  footer: string;
}

/** Labels shared by every template of a language. */
export interface CommonStrings {
  brand: string;
  when: string;
  where: string;
  online: string;
  registrationNumber: string;
  ticketCode: string;
  manageRegistration: string;
  viewEvent: string;
  attachedCalendar: string;
  footerParticipant: (event: string) => string;
  footerOrganizer: string;
  footerPrivacy: string;
  greeting: (name: string) => string;
  waitlistPosition: string;
  waitlistPositionValue: (n: number) => string;
  map: string;
  kakaoMap: string;
  naverMap: string;
  contact: string;
}
