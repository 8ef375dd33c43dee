import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads the e-mails an embedded server wrote to DATA_DIR/outbox (one `.eml` file each, as any mail
 * client would receive them) and finds the link a person would click.
 */

/** Undoes quoted-printable (soft line breaks and =XX bytes), as a mail client does. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined[i] === '=' ? joined.slice(i + 1, i + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Waits until a mail to `recipient` carries a link under `pathPrefix`; returns the newest such link. */
export async function waitForMailedLink(
  dataDir: string,
  recipient: string,
  pathPrefix: string,
  timeoutMs = 20_000,
): Promise<string> {
  const dir = path.join(dataDir, 'outbox');
  const pattern = new RegExp(`https?://[^\\s"'<>]+${pathPrefix.replace(/\//g, '\\/')}/[A-Za-z0-9_-]+`, 'g');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const file of files
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .reverse()) {
      const raw = await readFile(path.join(dir, file), 'utf8');
      const [headers = ''] = raw.split(/\r?\n\r?\n/, 1);
      if (!headers.toLowerCase().includes(recipient.toLowerCase())) continue;
      const links = decodeQuotedPrintable(raw).match(pattern);
      if (links?.[0]) return links[0];
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${recipient} with a ${pathPrefix} link`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
