import type { NetworkInterfaceInfo } from 'node:os';

/**
 * The addresses a phone on the same network can reach this machine at: IPv4, not loopback, not
 * link-local (169.254/16, which no router hands out). Private ranges (192.168/16, 10/8,
 * 172.16/12) come first — the usual home or venue Wi-Fi — then any other address. Pure: the
 * caller passes `os.networkInterfaces()`.
 */
export function lanAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const found: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue;
      if (info.address.startsWith('169.254.') || info.address.startsWith('127.')) continue;
      if (!found.includes(info.address)) found.push(info.address);
    }
  }
  const rank = (a: string) => {
    const [x, y] = a.split('.').map(Number) as [number, number];
    if (x === 192 && y === 168) return 0;
    if (x === 10) return 1;
    if (x === 172 && y >= 16 && y <= 31) return 2;
    return 3;
  };
  return found.sort((a, b) => rank(a) - rank(b));
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * What `npm start` prints about links when PUBLIC_URL is not set: share links, manage links and
 * e-mails would carry http://localhost:<port>, which no phone can open, so it names the LAN
 * address to put in PUBLIC_URL. Nothing when PUBLIC_URL is set.
 */
export function publicUrlHint(
  options: { publicUrlFromEnv: boolean; publicUrl: string; host: string; port: number },
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>,
): string[] {
  if (options.publicUrlFromEnv) return [];
  if (LOOPBACK_HOSTS.has(options.host)) {
    return [
      `Share links use ${options.publicUrl}; HOST=${options.host} accepts this machine only. ` +
        'Set HOST=0.0.0.0 and PUBLIC_URL=http://<this machine on your network>:' +
        `${options.port} so phones can open them.`,
    ];
  }
  const [first, ...others] = lanAddresses(interfaces);
  if (!first) {
    return [
      `Share links use ${options.publicUrl}, which phones cannot open, and no network address was found. ` +
        'Set PUBLIC_URL to the address phones reach this server at.',
    ];
  }
  const url = `http://${first}:${options.port}`;
  const lines = [
    `On a phone on the same network: ${url} — set PUBLIC_URL=${url} so share links work ` +
      `(they use ${options.publicUrl} now).`,
  ];
  if (others.length > 0) {
    lines.push(
      `Other addresses of this machine: ${others.map((a) => `http://${a}:${options.port}`).join(', ')}`,
    );
  }
  return lines;
}
