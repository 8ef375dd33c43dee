import type { Bus } from '../../platform/bus/bus.ts';

/** What the hub needs of a socket: send one already-serialised text frame (UTF-8 bytes). */
export interface HubMember {
  deliver(frame: Buffer): void;
}

interface ChannelEntry {
  members: Set<HubMember>;
  /** Resolves to the bus unsubscribe function once the bus subscription is active. */
  ready: Promise<() => Promise<void>>;
}

/**
 * Fan-out on one instance: ONE bus subscription per channel (`event:<id>`, `device:<userId>:<deviceId>`) however many
 * local sockets listen, each bus message serialised once and written to every local member. The
 * bus subscription is dropped when the last local member leaves.
 */
export class RealtimeHub {
  readonly #bus: Bus;
  readonly #channels = new Map<string, ChannelEntry>();
  #onError: (err: unknown) => void;

  constructor(bus: Bus, onError: (err: unknown) => void = () => {}) {
    this.#bus = bus;
    this.#onError = onError;
  }

  /** Adds a member; resolves when the channel's bus subscription is active. */
  async join(channel: string, member: HubMember): Promise<void> {
    let entry = this.#channels.get(channel);
    if (!entry) {
      const members = new Set<HubMember>();
      // The handler is bound to this entry: a later entry for the same channel never gets a copy.
      const ready = this.#bus.subscribe(channel, (message) => deliverAll(members, message));
      entry = { members, ready };
      this.#channels.set(channel, entry);
      ready.catch((err) => {
        if (this.#channels.get(channel) === entry) this.#channels.delete(channel);
        this.#onError(err);
      });
    }
    entry.members.add(member);
    await entry.ready;
  }

  leave(channel: string, member: HubMember): void {
    const entry = this.#channels.get(channel);
    if (!entry?.members.delete(member)) return;
    if (entry.members.size > 0) return;
    this.#channels.delete(channel);
    entry.ready.then((unsubscribe) => unsubscribe()).catch(this.#onError);
  }

  get channelCount(): number {
    return this.#channels.size;
  }

  async close(): Promise<void> {
    const entries = [...this.#channels.values()];
    this.#channels.clear();
    await Promise.allSettled(entries.map((e) => e.ready.then((unsubscribe) => unsubscribe())));
  }
}

function deliverAll(members: Set<HubMember>, message: unknown): void {
  if (members.size === 0) return;
  // Serialised and encoded once, however many sockets receive it.
  const frame = Buffer.from(JSON.stringify(message));
  for (const member of members) member.deliver(frame);
}
