import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DrawCandidate, selectPoolWithReason } from './pool.ts';

const candidateArb = (n: number): fc.Arbitrary<DrawCandidate> =>
  fc.record({
    id: fc.constant(`p${n}`),
    name: fc.constant(`n${n}`),
    registrationNumber: fc.constant(n),
    registrationStatus: fc.constantFrom('registered', 'waitlist', 'pending', 'cancelled', 'rejected'),
    checkinStatus: fc.constantFrom('not_checked_in', 'checked_in', 'no_show'),
    customResponses: fc.record({ size: fc.constantFrom('S', 'M', 'L'), tags: fc.subarray(['a', 'b', 'c']) }),
  });

const candidatesArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 500 }), { maxLength: 40 })
  .chain((numbers) => fc.tuple(...numbers.map(candidateArb)));

describe('selectPool (properties)', () => {
  it('picks exactly the eligible people, sorted, and explains an empty pool', () => {
    fc.assert(
      fc.property(
        candidatesArb,
        fc.constantFrom('all' as const, 'checked_in' as const),
        fc.boolean(),
        fc.option(fc.constantFrom({ field_id: 'size', value: 'M' }, { field_id: 'tags', value: 'b' }), {
          nil: null,
        }),
        fc.array(fc.integer({ min: 1, max: 500 }).map((n) => `p${n}`)),
        (candidates, pool, exclude, filter, winners) => {
          const config = { participant_pool: pool, exclude_previous_winners: exclude, filter };
          const { pool: selected, emptyReason } = selectPoolWithReason(candidates, config, winners);
          const expected = candidates.filter((c) => {
            if (c.registrationStatus !== 'registered') return false;
            if (pool === 'checked_in' && c.checkinStatus !== 'checked_in') return false;
            if (exclude && winners.includes(c.id)) return false;
            if (filter?.field_id === 'size' && c.customResponses.size !== filter.value) return false;
            if (filter?.field_id === 'tags' && !(c.customResponses.tags as string[]).includes(filter.value))
              return false;
            return true;
          });
          expect(selected.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
          const numbers = selected.map((c) => c.registrationNumber);
          expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
          expect(emptyReason === null).toBe(selected.length > 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
