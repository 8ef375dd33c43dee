/**
 * Door feedback the staff member notices without looking: a short beep (WebAudio, no audio file to
 * cache) and a vibration on phones that support it. Both fail silently where unavailable.
 */
let audio: AudioContext | null = null;

function beep(frequency: number, durationMs: number): void {
  try {
    const Ctor =
      globalThis.AudioContext ??
      (globalThis as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    audio ??= new Ctor();
    const ctx = audio;
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

export const feedback = {
  checkedIn(): void {
    beep(1320, 120);
    vibrate(40);
  },
  undone(): void {
    beep(660, 120);
    vibrate([30, 40, 30]);
  },
  notFound(): void {
    beep(220, 300);
    vibrate([80, 60, 80]);
  },
};
