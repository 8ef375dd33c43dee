import type { PublicEvent } from '@eventmanager/domain/events/schema';
import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../platform/cache/memory-cache.ts';
import { createPublicViewCache } from './public-view.cache.ts';

const view = (name: string) => ({ name }) as unknown as PublicEvent;

describe('public view cache', () => {
  it('serves what was stored until invalidated', async () => {
    const views = createPublicViewCache(createMemoryCache());
    const first = await views.lookup('abc');
    expect(first.view).toBeUndefined();
    await views.store('abc', first.generation, view('v1'));
    expect((await views.lookup('abc')).view).toEqual(view('v1'));
    await views.invalidate('abc');
    expect((await views.lookup('abc')).view).toBeUndefined();
  });

  it('never keeps a view read before a commit that invalidated after it (reader/writer race)', async () => {
    const views = createPublicViewCache(createMemoryCache());
    // Reader: looks up (miss) and reads the OLD row from the database …
    const reader = await views.lookup('abc');
    // … meanwhile the writer commits and invalidates …
    await views.invalidate('abc');
    // … and only then does the reader store what it read.
    await views.store('abc', reader.generation, view('old'));
    expect((await views.lookup('abc')).view).toBeUndefined();
    // The next reader stores the fresh row, which is then served.
    const next = await views.lookup('abc');
    await views.store('abc', next.generation, view('new'));
    expect((await views.lookup('abc')).view).toEqual(view('new'));
  });
});
