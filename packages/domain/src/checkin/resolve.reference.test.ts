import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decidingLogs, orderLogs, type ResolvableLog, resolveCheckinState } from './resolve.ts';

/**
 * The resolver against the rule written the simplest way, over histories built to hit its edges:
 * action times 4 999 / 5 000 / 5 001 ms apart, many logs at one identical (clamped) time, both
 * actions at the same instant, ISO strings mixed with epoch milliseconds.
 */

const RUNS = { numRuns: 2_000 };
const T0 = Date.parse('2026-11-25T10:00:00.000Z');
/** Where the server puts every absurd device time: its receive time. Many logs share it. */
const CLAMPED = T0 + 12_000;

interface Log extends ResolvableLog {
  timestamp: string | number;
}

/**
 * The rule, stated directly: take the logs (each id once) by action time, a check-in before an
 * undo at the same instant, then by id. The first decides; each next one takes over, except that an
 * undo less than 5 s from a deciding check-in loses to it, and a check-in less than 5 s from a
 * deciding undo beats it (the check-in wins a contest whichever came first).
 */
function reference(logs: readonly Log[]) {
  const byId = new Map<string, Log>();
  for (const log of logs) if (!byId.has(log.id)) byId.set(log.id, log);
  const ms = (log: Log) => new Date(log.timestamp).getTime();
  const rank = (log: Log) => [ms(log), log.action === 'check_in' ? 0 : 1, log.id] as const;
  const sorted = [...byId.values()].sort((a, b) => {
    const [ta, aa, ia] = rank(a);
    const [tb, ab, ib] = rank(b);
    if (ta !== tb) return ta - tb;
    if (aa !== ab) return aa - ab;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
  let decider: Log | undefined;
  const overruled: string[] = [];
  for (const next of sorted) {
    if (decider === undefined) {
      decider = next;
      continue;
    }
    const close = Math.abs(ms(next) - ms(decider)) < 5_000;
    if (close && decider.action === 'check_in' && next.action === 'undo_check_in') {
      overruled.push(next.id);
    } else if (close && decider.action === 'undo_check_in' && next.action === 'check_in') {
      overruled.push(decider.id);
      decider = next;
    } else {
      decider = next;
    }
  }
  const status = decider?.action === 'check_in' ? 'checked_in' : 'not_checked_in';
  // Only overruled logs that disagree with the final state are reported as conflicts.
  const conflicts = overruled.filter((id) => byId.get(id)!.action !== decider?.action).sort();
  return { status, winner: decider?.id, conflicts };
}

const actual = (logs: readonly Log[]) => {
  const r = resolveCheckinState(logs);
  return { status: r.status, winner: r.winner?.id, conflicts: r.conflicts.map((c) => c.loser.id).sort() };
};

/** Times on a 5 s grid nudged by −1, 0 or +1 ms, or the clamped instant: near-ties everywhere. */
const timeArb = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 5 }), fc.constantFrom(-1, 0, 1))
    .map(([steps, nudge]) => T0 + steps * 5_000 + nudge),
  fc.constant(CLAMPED),
  fc.integer({ min: 0, max: 30_000 }).map((d) => T0 + d),
);
const logArb = fc.record({
  id: fc.stringMatching(/^[a-f0-9]{1,4}$/),
  action: fc.constantFrom('check_in' as const, 'undo_check_in' as const),
  timestamp: fc
    .tuple(timeArb, fc.boolean())
    .map(([t, iso]): string | number => (iso ? new Date(t).toISOString() : t)),
});
// Duplicated ids allowed: a copy of a log delivered twice (copies are identical).
const historyArb = fc
  .uniqueArray(logArb, { selector: (l) => l.id, maxLength: 10 })
  .chain((logs) =>
    fc
      .array(fc.nat(), { maxLength: 3 })
      .map((picks) => (logs.length ? [...logs, ...picks.map((p) => logs[p % logs.length]!)] : logs)),
  );

describe('resolveCheckinState against the rule written plainly', () => {
  it('decides every history as the rule does (status, deciding log, conflicts)', () => {
    fc.assert(
      fc.property(historyArb, (logs) => {
        expect(actual(logs)).toEqual(reference(logs));
      }),
      RUNS,
    );
  });

  it('decides every history with both actions at one instant as the rule does', () => {
    const pairArb = fc
      .tuple(timeArb, fc.uniqueArray(fc.stringMatching(/^[a-f0-9]{1,3}$/), { minLength: 2, maxLength: 6 }))
      .chain(([t, ids]) =>
        fc
          .array(fc.constantFrom('check_in' as const, 'undo_check_in' as const), {
            minLength: ids.length,
            maxLength: ids.length,
          })
          .map((actions) => ids.map((id, i): Log => ({ id, action: actions[i]!, timestamp: t }))),
      );
    fc.assert(
      fc.property(pairArb, historyArb, (same, rest) => {
        const logs = [...same, ...rest.filter((l) => !same.some((s) => s.id === l.id))];
        expect(actual(logs)).toEqual(reference(logs));
        // A check-in and an undo at the same instant: the check-in is what stands at that instant.
        if (rest.length === 0 && same.some((l) => l.action === 'check_in'))
          expect(actual(logs).status).toBe('checked_in');
      }),
      RUNS,
    );
  });

  it('draws the 5 s line exactly: 4 999 ms is a contest, 5 000 and 5 001 ms are not', () => {
    const ci = (id: string, t: number): Log => ({ id, action: 'check_in', timestamp: T0 + t });
    const undo = (id: string, t: number): Log => ({ id, action: 'undo_check_in', timestamp: T0 + t });
    expect(actual([ci('a', 0), undo('b', 4_999)])).toEqual({
      status: 'checked_in',
      winner: 'a',
      conflicts: ['b'],
    });
    expect(actual([ci('a', 0), undo('b', 5_000)]).status).toBe('not_checked_in');
    expect(actual([ci('a', 0), undo('b', 5_001)]).status).toBe('not_checked_in');
    expect(actual([undo('a', 0), ci('b', 4_999)]).status).toBe('checked_in');
    expect(actual([ci('a', 5_000), undo('b', 0)]).status).toBe('checked_in');
    // A chain: each undo is within 5 s of the check-in that still decides, so it stands.
    expect(actual([ci('a', 0), undo('b', 4_999), undo('c', 9_998)]).status).toBe('not_checked_in');
    expect(actual([ci('a', 0), undo('b', 4_000), ci('c', 4_500), undo('d', 9_499)]).status).toBe(
      'checked_in',
    );
    for (const logs of [
      [ci('a', 0), undo('b', 4_999)],
      [ci('a', 0), undo('b', 4_999), undo('c', 9_998)],
      [ci('a', 0), undo('b', 4_000), ci('c', 4_500), undo('d', 9_499)],
    ])
      expect(actual(logs)).toEqual(reference(logs));
  });

  it('decides a set plus any later logs as its two deciding logs plus them', () => {
    fc.assert(
      fc.property(historyArb, historyArb, (held, later) => {
        // Later logs are other logs (a copy of a held one would be identical to it).
        const added = later.map((l) => ({ ...l, id: `later-${l.id}` }));
        const whole = resolveCheckinState([...held, ...added]);
        const reduced = resolveCheckinState([...decidingLogs(orderLogs(held)), ...added]);
        expect({ status: reduced.status, winner: reduced.winner?.id }).toEqual({
          status: whole.status,
          winner: whole.winner?.id,
        });
        expect(decidingLogs(orderLogs(held)).length).toBeLessThanOrEqual(2);
      }),
      RUNS,
    );
  });
});
