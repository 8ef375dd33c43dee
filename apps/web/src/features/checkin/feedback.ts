/**
 * Door feedback the staff member notices without looking: a short beep (WebAudio, no audio file to
 * cache) and a vibration on phones that support it. Both fail silently where unavailable.
 */
let audio: AudioContext | null = null;

function audioContext(): AudioContext | null {
  const Ctor =
    globalThis.AudioContext ??
    (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  audio ??= new Ctor();
  return audio;
}

function beep(frequency: number, durationMs: number): void {
  try {
    const ctx = audioContext();
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + durationMs / 1000);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + durationMs / 1000);
  } catch {
    // No sound on this device.
  }
}

function vibrate(pattern: number | number[]): void {
  try {
    globalThis.navigator?.vibrate?.(pattern);
  } catch {
    // Not supported.
  }
}

/** Runs after the next paint: the row turns green first (the < 50 ms tap-to-screen budget). */
function afterPaint(fn: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') {
    setTimeout(fn, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(fn, 0));
}

export const feedback = {
  /**
   * Creating an AudioContext takes a few hundred ms on some devices (240 ms in headless Chromium
   * here); do it while the screen is idle — it starts suspended and the first tap resumes it.
   */
  prepare(): void {
    const run = () => {
      try {
        audioContext();
      } catch {
        // No audio.
      }
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2_000 });
    else setTimeout(run, 500);
  },
  checkedIn(): void {
    afterPaint(() => {
      vibrate(40);
      beep(1320, 120);
    });
  },
  undone(): void {
    afterPaint(() => {
      vibrate([30, 40, 30]);
      beep(660, 120);
    });
  },
  notFound(): void {
    afterPaint(() => {
      vibrate([80, 60, 80]);
      beep(220, 300);
    });
  },
};
