import type { FastifyPluginAsync } from 'fastify';
import type { ModuleDeps } from '../../platform/module.ts';
import { checkinRepository } from '../checkin/checkin.repository.ts';
import { recordDeviceOffset } from '../checkin/device-clock.repository.ts';
import { requireEventAccess } from '../events/events.access.ts';
import { type GatewayOptions, RealtimeGateway } from './realtime.gateway.ts';
import { RealtimeHub } from './realtime.hub.ts';

/**
 * WebSocket `/realtime` (API.md). Every instance holds its own sockets and one bus subscription per
 * followed channel; messages published after commit on `event:<id>` / `device:<userId>:<deviceId>` reach the sockets
 * on every instance (Redis pub/sub across instances).
 */
export const realtimeModule: FastifyPluginAsync<ModuleDeps & { realtime?: GatewayOptions }> = async (
  app,
  deps,
) => {
  const { platform, accounts } = deps;
  const hub = new RealtimeHub(platform.bus, (err) => app.log.warn({ err }, 'realtime bus error'));
  const gateway = new RealtimeGateway(
    {
      hub,
      clock: platform.clock,
      authenticate: (token) => accounts.authenticate(token),
      revocations: platform.bus,
      authorizeEvent: async (eventId, userId) => {
        await requireEventAccess(platform.database.db, eventId, userId, 'read');
      },
      currentCursor: (eventId) => checkinRepository.currentCursor(platform.database.db, eventId),
      recordClockOffset: (userId, deviceId, offsetMs) =>
        recordDeviceOffset(platform.database.db, userId, deviceId, offsetMs, platform.clock.now()),
      onError: (err) => app.log.warn({ err }, 'realtime message failed'),
    },
    deps.realtime ?? {
      heartbeatIntervalMs: deps.config.wsHeartbeatIntervalMs,
      authTimeoutMs: deps.config.wsAuthTimeoutMs,
    },
  );
  await gateway.start();
  app.get('/realtime', { websocket: true, schema: { hide: true } }, (socket) => gateway.accept(socket));
  app.addHook('onClose', async () => gateway.close());
};
