/**
 * One result per ticket presentation. A camera sees the same QR many times a second for as long as
 * it is held up, so "✓ checked in" would turn into "already checked in" a moment later. A code seen
 * again within `cooldownMs` of its LAST sighting is the same presentation and is ignored (the window
 * slides while the ticket stays in view); shown again after a pause, it is a new presentation — a
 * reused ticket still warns.
 */
export class ScanGate {
  readonly #lastSeen = new Map<string, number>();
  readonly #cooldownMs: number;

  constructor(cooldownMs = 5_000) {
    this.#cooldownMs = cooldownMs;
  }

  /** True when this sighting is a new presentation of `code` (and should be acted on). */
  admit(code: string, now: number): boolean {
    const last = this.#lastSeen.get(code);
    this.#lastSeen.set(code, now);
    if (this.#lastSeen.size > 500) {
      for (const [c, at] of this.#lastSeen) if (now - at >= this.#cooldownMs) this.#lastSeen.delete(c);
    }
    return last === undefined || now - last >= this.#cooldownMs;
  }
}
