import { describe, expect, it } from 'vitest';
import { allowedTransitions, canTransition, type EventStatus, eventStatusSchema } from './status.ts';

const all = eventStatusSchema.options;
const legal = new Set([
  'draft>published',
  'published>in_progress',
  'in_progress>completed',
  'draft>cancelled',
  'published>cancelled',
  'in_progress>cancelled',
]);

describe('canTransition', () => {
  it('allows exactly the six moves of the state machine', () => {
    for (const from of all) {
      for (const to of all) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(legal.has(`${from}>${to}`));
      }
    }
  });

  it('has final states and no self-moves', () => {
    expect(allowedTransitions('completed')).toEqual([]);
    expect(allowedTransitions('cancelled')).toEqual([]);
    for (const s of all as readonly EventStatus[]) expect(canTransition(s, s)).toBe(false);
  });
});
