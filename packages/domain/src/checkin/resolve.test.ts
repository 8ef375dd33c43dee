import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CheckinFold,
  compareLogs,
  continueFold,
  EMPTY_FOLD,
  foldOrderedLogs,
  mergeLogs,
  orderLogs,
  type ResolvableLog,
  resolutionOf,
  resolveCheckinState,
} from './resolve.ts';

const RUNS = { numRuns: 1_000 };
const T0 = Date.parse('2026-11-25T10:00:00.000Z');

// Logs clustered in a 30 s window so many pairs fall inside the 5 s contest window, with equal
// timestamps common enough to exercise the tie-breaks.
const logArb = fc.record({
  id: fc.uuid(),
  action: fc.constantFrom('check_in' as const, 'undo_check_in' as const),
  timestamp: fc.integer({ min: 0, max: 30 }).map((s) => T0 + s * 1_000),
});
const logSetArb = fc.uniqueArray(logArb, { selector: (l) => l.id, maxLength: 12 });

const summarize = (r: ReturnType<typeof resolveCheckinState>) => ({
  status: r.status,
  winner: r.winner?.id,
  conflicts: r.conflicts.map((c) => `${c.loser.id}>${c.winner.id}`).sort(),
});
const summary = (logs: ResolvableLog[]) => {
  const r = resolveCheckinState(logs);
  return {
    status: r.status,
    winner: r.winner?.id,
    conflicts: r.conflicts.map((c) => `${c.loser.id}>${c.winner.id}`).sort(),
  };
};

/** Splits an array into consecutive batches at the given cut points. */
function splitInto<T>(items: T[], cuts: number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const batches: T[][] = [];
  let start = 0;
  for (const p of points) {
    batches.push(items.slice(start, p));
    start = p;
  }
  batches.push(items.slice(start));
  return batches;
}

describe('resolveCheckinState', () => {
  it('depends only on the set: any arrival order gives the same state', () => {
    fc.assert(
      fc.property(
        logSetArb.chain((logs) =>
          fc.tuple(fc.constant(logs), fc.shuffledSubarray(logs, { minLength: logs.length })),
        ),
        ([logs, shuffled]) => {
          expect(summary(shuffled)).toEqual(summary(logs));
        },
      ),
      RUNS,
    );
  });

  it('ignores duplicated deliveries of the same log', () => {
    const deliveredArb = logSetArb.chain((logs) =>
      fc
        .array(fc.nat(), { maxLength: 10 })
        .map((picks) => (logs.length ? picks.map((p) => ({ ...logs[p % logs.length]! })) : []))
        .chain((dupes) =>
          fc.tuple(
            fc.constant(logs),
            fc.shuffledSubarray([...logs, ...dupes], { minLength: logs.length + dupes.length }),
          ),
        ),
    );
    fc.assert(
      fc.property(deliveredArb, ([logs, delivered]) => {
        expect(summary(delivered)).toEqual(summary(logs));
      }),
      RUNS,
    );
  });

  it('gives the same state however the logs are split into batches and merged', () => {
    fc.assert(
      fc.property(logSetArb, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (logs, cuts, reverse) => {
        const batches = splitInto(logs, cuts);
        if (reverse) batches.reverse();
        let held: ResolvableLog[] = [];
        // A device or server instance receiving batch after batch, re-resolving each time.
        for (const batch of batches) {
          held = mergeLogs(held, batch);
          resolveCheckinState(held);
        }
        expect(summary(held)).toEqual(summary(logs));
      }),
      RUNS,
    );
  });

  it('is idempotent: re-applying logs already held changes nothing', () => {
    fc.assert(
      fc.property(logSetArb, fc.nat(), (logs, k) => {
        const before = summary(logs);
        const again = mergeLogs(logs, logs.slice(0, logs.length ? k % logs.length : 0));
        expect(again).toHaveLength(logs.length);
        expect(summary(again)).toEqual(before);
      }),
      RUNS,
    );
  });

  it('orders totally and deterministically (ties by action, then id)', () => {
    fc.assert(
      fc.property(logArb, logArb, (a, b) => {
        const ab = compareLogs(a, b);
        const ba = compareLogs(b, a);
        expect(Math.sign(ab)).toBe(-Math.sign(ba));
        if (a.id !== b.id) expect(ab).not.toBe(0);
      }),
      RUNS,
    );
  });

  it('the seed scenario: A checks 홍길동 in, B undoes within 5 s → checked_in, and B lost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -4_999, max: 4_999 }),
        fc.uuid(),
        fc.uuid(),
        fc.boolean(),
        (delta, idA, idB, bFirst) => {
          fc.pre(idA !== idB);
          const a = { id: idA, action: 'check_in' as const, timestamp: T0, device: 'A' };
          const b = { id: idB, action: 'undo_check_in' as const, timestamp: T0 + delta, device: 'B' };
          const r = resolveCheckinState(bFirst ? [b, a] : [a, b]);
          expect(r.status).toBe('checked_in');
          expect(r.winner?.device).toBe('A');
          expect(r.conflicts).toHaveLength(1);
          expect(r.conflicts[0]?.loser.device).toBe('B');
          expect(r.conflicts[0]?.winner.device).toBe('A');
        },
      ),
      RUNS,
    );
  });

  it('a genuine undo 5 s or more after the check-in wins, with no conflict', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5_000, max: 86_400_000 }), fc.uuid(), fc.uuid(), (delta, idA, idB) => {
        fc.pre(idA !== idB);
        const checkIn = { id: idA, action: 'check_in' as const, timestamp: T0 };
        const undo = { id: idB, action: 'undo_check_in' as const, timestamp: T0 + delta };
        const r = resolveCheckinState([undo, checkIn]);
        expect(r.status).toBe('not_checked_in');
        expect(r.winner?.id).toBe(idB);
        expect(r.conflicts).toEqual([]);
      }),
      RUNS,
    );
  });

  it('the later of two actions ≥ 5 s apart wins (last-write-wins)', () => {
    fc.assert(
      fc.property(logArb, logArb, fc.integer({ min: 5_000, max: 600_000 }), (a, b, gap) => {
        fc.pre(a.id !== b.id);
        const later = { ...b, timestamp: a.timestamp + gap };
        const r = resolveCheckinState([later, a]);
        expect(r.winner?.id).toBe(later.id);
      }),
      RUNS,
    );
  });

  it('accepts ISO strings and epoch milliseconds alike', () => {
    const iso = resolveCheckinState([
      { id: 'a', action: 'check_in', timestamp: '2026-11-25T10:00:00.000Z' },
      { id: 'b', action: 'undo_check_in', timestamp: '2026-11-25T10:00:06.000Z' },
    ]);
    expect(iso.status).toBe('not_checked_in');
    expect(resolveCheckinState([]).status).toBe('not_checked_in');
    expect(resolveCheckinState([]).winner).toBeUndefined();
  });
});

describe('a fold continued with later logs (what a server keeps per participant)', () => {
  it('gives the state of the whole set whenever it accepts the batch, whatever the batches', () => {
    fc.assert(
      fc.property(logSetArb, fc.array(fc.nat(), { maxLength: 5 }), (logs, cuts) => {
        let fold: CheckinFold<ResolvableLog> = EMPTY_FOLD;
        let held: ResolvableLog[] = [];
        for (const batch of splitInto(logs, cuts)) {
          held = mergeLogs(held, batch);
          // Refused: a log of the batch sorts before one folded; the server folds the whole set.
          fold = continueFold(fold, orderLogs(batch)) ?? foldOrderedLogs(orderLogs(held));
          expect(summarize(resolutionOf(fold))).toEqual(summary(held));
        }
      }),
      RUNS,
    );
  });

  it('accepts every batch that arrives in time order, and refuses one that goes back in time', () => {
    fc.assert(
      fc.property(logSetArb, fc.array(fc.nat(), { maxLength: 5 }), (logs, cuts) => {
        const batches = splitInto(orderLogs(logs), cuts);
        let fold: CheckinFold<ResolvableLog> = EMPTY_FOLD;
        for (const batch of batches) {
          const next = continueFold(fold, batch);
          expect(next).toBeDefined();
          fold = next!;
        }
        expect(summarize(resolutionOf(fold))).toEqual(summary(logs));
        const [first] = orderLogs(logs);
        if (first && logs.length > 1)
          expect(continueFold(fold, [{ ...first, id: `${first.id}-late` }])).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('leaves the fold it continues as it was (a server shares it until its write commits)', () => {
    const checkIn = { id: 'a', action: 'check_in' as const, timestamp: T0 };
    const undo = { id: 'b', action: 'undo_check_in' as const, timestamp: T0 + 1_000 };
    const contested = foldOrderedLogs([checkIn, undo]);
    expect(contested.contests).toHaveLength(1);
    const again = continueFold(contested, [
      { id: 'c', action: 'undo_check_in' as const, timestamp: T0 + 2_000 },
    ]);
    expect(again?.contests).toHaveLength(2);
    expect(contested.contests).toHaveLength(1);
    expect(contested.last?.id).toBe('b');
  });
});
