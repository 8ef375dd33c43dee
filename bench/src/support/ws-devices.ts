import WebSocket from 'ws';

/**
 * Simulated check-in devices for the benchmarks: `count` authenticated sockets on /realtime, each
 * subscribed to `eventId`, spread round-robin over `bases` (server instances). Resolves once every
 * socket is subscribed; `onMessage` then sees every other frame as text.
 */
export async function openSockets(
  bases: string[],
  token: string,
  eventId: string,
  count: number,
  onMessage?: (raw: string) => void,
  firstIndex = 0,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  const batch = 100;
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, j) => {
        const n = firstIndex + i + j;
        const base = bases[n % bases.length]!;
        return new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(`${base.replace('http', 'ws')}/realtime`);
          sockets.push(ws);
          ws.on('error', reject);
          ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token, deviceId: `sock-${n}` })));
          ws.on('message', (data) => {
            const raw = String(data);
            if (raw.startsWith('{"type":"auth_ok"'))
              ws.send(JSON.stringify({ type: 'subscribe_event', eventId }));
            else if (raw.startsWith('{"type":"subscribed"')) resolve();
            else onMessage?.(raw);
          });
        });
      }),
    );
  }
  return sockets;
}

/** Wall-clock milliseconds comparable across worker threads (each thread's performance.now() has its own origin). */
export const wallNow = (): number => performance.timeOrigin + performance.now();
