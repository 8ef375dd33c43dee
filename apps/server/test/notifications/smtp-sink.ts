import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** What the sink answers to the DATA of one message: accept, or an SMTP error with this code. */
export type SinkReply = { accept: true } | { accept: false; code: number; message: string };

export interface ReceivedMail {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeTo: string[];
  at: number;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Decides each message's fate; default accepts everything. */
  reply: (attempt: number, session: SMTPServerSession) => SinkReply;
  attempts: number;
  /** Parse messages (slower); the load tests only count them. */
  parse: boolean;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const FIRST_PORT = 4500;
const LAST_PORT = 4599;
let nextPort = FIRST_PORT + Math.floor(Math.random() * 50);

/**
 * A real SMTP server in the test process (smtp-server), listening on the ports reserved for the
 * e-mail tests (4500-4599), recording every message it accepts.
 */
export async function startSmtpSink(options: { parse?: boolean } = {}): Promise<SmtpSink> {
  const sink = {
    received: [] as ReceivedMail[],
    attempts: 0,
    parse: options.parse ?? true,
    reply: (() => ({ accept: true })) as SmtpSink['reply'],
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sink.attempts++;
        const decision = sink.reply(sink.attempts, session);
        if (!decision.accept) {
          const err = Object.assign(new Error(decision.message), { responseCode: decision.code });
          callback(err);
          return;
        }
        const raw = Buffer.concat(chunks);
        const to = session.envelope.rcptTo.map((r) => r.address);
        const done = (parsed: ParsedMail) => {
          sink.received.push({ raw, parsed, envelopeTo: to, at: Date.now() });
          callback();
        };
        if (sink.parse) simpleParser(raw, { keepCidLinks: true }).then(done, (err: Error) => callback(err));
        else done(undefined as unknown as ParsedMail);
      });
    },
  });
  let port = 0;
  for (let tries = 0; tries < LAST_PORT - FIRST_PORT + 1; tries++) {
    const candidate = nextPort;
    nextPort = nextPort >= LAST_PORT ? FIRST_PORT : nextPort + 1;
    const ok = await new Promise<boolean>((resolve) => {
      const onError = () => resolve(false);
      server.server.once('error', onError);
      server.listen(candidate, '127.0.0.1', () => {
        server.server.off('error', onError);
        resolve(true);
      });
    });
    if (ok) {
      port = candidate;
      break;
    }
  }
  if (!port) throw new Error('no free port in 4500-4599 for the SMTP sink');
  return Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    async waitFor(count: number, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (sink.received.length < count) {
        if (Date.now() > until) throw new Error(`SMTP sink got ${sink.received.length} of ${count} messages`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
