import { randomUUID } from 'node:crypto';
import type { PublicEvent } from '@eventmanager/domain/events/schema';

/** The cached part of the public view: everything but the live availability. */
export type CachedPublicEvent = Omit<PublicEvent, 'availability'>;

import type { Cache } from '../../platform/cache/cache.ts';

/** Seed cache table: event details 15 minutes. */
const VIEW_TTL_SECONDS = 15 * 60;
/** Must outlive every view entry, so an expired generation can never match a live stale view. */
const GENERATION_TTL_SECONDS = 2 * 60 * 60;
const NO_GENERATION = '0';

const viewKey = (code: string) => `event:public:${code}`;
const generationKey = (code: string) => `event:public-gen:${code}`;

interface Entry {
  generation: string;
  view: CachedPublicEvent;
}

/**
 * The public event page cache, safe against the classic race where a reader loads the old row,
 * the writer commits and invalidates, and the reader then stores the old row for 15 minutes.
 * Readers take the event's generation BEFORE reading the database and store it with the view;
 * writers set a fresh random generation AFTER their commit. An entry is served only while its
 * generation is current, so a view read before a commit can never outlive that commit.
 */
export function createPublicViewCache(cache: Cache) {
  return {
    /** Call before reading the database; `generation` goes back into `store`. */
    async lookup(code: string): Promise<{ view: CachedPublicEvent | undefined; generation: string }> {
      const [generation, entry] = await Promise.all([
        cache.get<string>(generationKey(code)),
        cache.get<Entry>(viewKey(code)),
      ]);
      const current = generation ?? NO_GENERATION;
      return { view: entry && entry.generation === current ? entry.view : undefined, generation: current };
    },

    async store(code: string, generation: string, view: CachedPublicEvent): Promise<void> {
      await cache.set(viewKey(code), { generation, view } satisfies Entry, VIEW_TTL_SECONDS);
    },

    /** Call after the change committed. */
    async invalidate(code: string): Promise<void> {
      await cache.set(generationKey(code), randomUUID(), GENERATION_TTL_SECONDS);
      await cache.del(viewKey(code));
    },
  };
}
