import { describe, expect, it } from 'vitest';
import type { CandidateOutcome, RegistrationCandidate } from './registration.batch.ts';
import { createRegistrationQueue } from './registration.queue.ts';

const candidate = (name: string) => ({ name }) as RegistrationCandidate;

describe('registration queue', () => {
  it('groups requests of the same turn, then those that arrive while a batch runs, per event, in order', async () => {
    const batches: string[][] = [];
    const queue = createRegistrationQueue(async (eventId, candidates) => {
      batches.push(candidates.map((c) => `${eventId}:${c.name}`));
      await new Promise((r) => setTimeout(r, 10));
      return candidates.map((c) => ({ kind: 'refused', code: c.name, detail: eventId }) as CandidateOutcome);
    });
    const first = [
      queue.enqueue('a', candidate('1')),
      queue.enqueue('a', candidate('2')),
      queue.enqueue('b', candidate('1')),
    ];
    await new Promise((r) => setTimeout(r, 5));
    const later = [queue.enqueue('a', candidate('3')), queue.enqueue('a', candidate('4'))];
    const outcomes = await Promise.all([...first, ...later]);
    expect(batches).toEqual([['a:1', 'a:2'], ['b:1'], ['a:3', 'a:4']]);
    // Each request gets its own outcome.
    expect(outcomes.map((o) => (o.kind === 'refused' ? `${o.detail}:${o.code}` : o.kind))).toEqual([
      'a:1',
      'a:2',
      'b:1',
      'a:3',
      'a:4',
    ]);
  });

  it('answers a big batch in chunks, all of them, in order', async () => {
    const queue = createRegistrationQueue(async (_eventId, candidates) =>
      candidates.map((c) => ({ kind: 'refused', code: c.name, detail: '' }) as CandidateOutcome),
    );
    const names = Array.from({ length: 420 }, (_, i) => String(i));
    const outcomes = await Promise.all(names.map((n) => queue.enqueue('e', candidate(n))));
    expect(outcomes.map((o) => (o.kind === 'refused' ? o.code : o.kind))).toEqual(names);
  });

  it('a failing batch is retried one by one, so only the bad request fails', async () => {
    const queue = createRegistrationQueue(async (_eventId, candidates) => {
      if (candidates.some((c) => c.name === 'bad')) throw new Error('hook failed');
      return candidates.map(() => ({ kind: 'duplicate' }) as CandidateOutcome);
    });
    const first = queue.enqueue('e', candidate('first'));
    const results = await Promise.allSettled([
      first,
      queue.enqueue('e', candidate('ok')),
      queue.enqueue('e', candidate('bad')),
      queue.enqueue('e', candidate('ok2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  });
});
