import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../../platform/private-files.ts';

export interface MailAttachment {
  filename: string;
  content: Buffer | string;
  contentType: string;
  /** Set for inline images referenced from the HTML as `cid:<cid>`. */
  cid?: string;
}

export interface OutgoingMail {
  from: string;
  to: string;
  /** Where replies go (the organizer), when set. */
  replyTo?: string | undefined;
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachment[];
  /** Our job id, sent as a header so a message can be traced back to its queue row. */
  jobId: string;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<{ messageId: string | null }>;
  close(): Promise<void>;
}

export interface TransportLog {
  info(obj: object, msg: string): void;
}

function toNodemailer(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    headers: { 'X-EventManager-Job': mail.jobId },
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      ...(a.cid ? { cid: a.cid, contentDisposition: 'inline' as const } : {}),
    })),
  };
}

/**
 * SMTP through nodemailer's connection pool (a few parallel connections, each reused for many
 * messages), so a bulk send does not pay a TCP+EHLO handshake per e-mail.
 */
export function createSmtpTransport(url: string, options: { maxConnections?: number } = {}): MailTransport {
  const transporter = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: options.maxConnections ?? 5,
    maxMessages: 1000,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      const info = await transporter.sendMail(toNodemailer(mail));
      return { messageId: info.messageId ?? null };
    },
    async close() {
      transporter.close();
    },
  };
}

/**
 * The embedded default: no SMTP server needed. Each message is built exactly as it would be sent and
 * written as an `.eml` file (opens in any mail client), and its subject is logged.
 */
export function createOutboxTransport(dir: string, log: TransportLog | undefined): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let ready: Promise<unknown> | undefined;
  return {
    kind: 'outbox',
    async send(mail) {
      // Messages carry names, e-mail addresses and ticket links: private to the server's user.
      ready ??= ensurePrivateDir(dir);
      await ready;
      const info = await transporter.sendMail(toNodemailer(mail));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${mail.jobId || randomUUID()}.eml`);
      await writeFile(file, info.message as Buffer, { mode: PRIVATE_FILE_MODE });
      log?.info({ to: mail.to, subject: mail.subject, file }, 'e-mail written to outbox');
      return { messageId: info.messageId ?? null };
    },
    async close() {
      transporter.close();
    },
  };
}

/** SMTP when SMTP_URL is set, otherwise `.eml` files in DATA_DIR/outbox. */
export function createMailTransport(
  config: { smtpUrl: string | undefined; dataDir: string },
  log?: TransportLog,
): MailTransport {
  return config.smtpUrl
    ? createSmtpTransport(config.smtpUrl)
    : createOutboxTransport(path.join(config.dataDir, 'outbox'), log);
}
