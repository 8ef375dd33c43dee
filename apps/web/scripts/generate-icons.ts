/**
 * Draws the app icons (a white calendar with a check mark on the brand blue) into public/icons.
 * Run once with `npx node apps/web/scripts/generate-icons.ts`; the PNGs are committed.
 * Shapes are signed-distance functions sampled 4×4 per pixel for smooth edges.
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';

const BLUE = [27, 100, 218] as const;
const WHITE = [255, 255, 255] as const;

function roundedRect(
  x: number,
  y: number,
  cx: number,
  cy: number,
  hw: number,
  hh: number,
  r: number,
): number {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function segment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * h, py - dy * h);
}

/** Colour at unit coordinates (0..1). `scale` shrinks the glyph for the maskable safe zone. */
function sample(
  u: number,
  v: number,
  opts: { rounded: boolean; scale: number },
): [number, number, number, number] {
  const bg = opts.rounded ? roundedRect(u, v, 0.5, 0.5, 0.5, 0.5, 0.22) <= 0 : true;
  if (!bg) return [0, 0, 0, 0];
  const s = opts.scale;
  const x = 0.5 + (u - 0.5) / s;
  const y = 0.5 + (v - 0.5) / s;
  const body = roundedRect(x, y, 0.5, 0.54, 0.27, 0.25, 0.06);
  const inner = roundedRect(x, y, 0.5, 0.6, 0.22, 0.15, 0.03);
  const ringL = roundedRect(x, y, 0.38, 0.28, 0.03, 0.07, 0.03);
  const ringR = roundedRect(x, y, 0.62, 0.28, 0.03, 0.07, 0.03);
  const check = Math.min(segment(x, y, 0.4, 0.6, 0.47, 0.67), segment(x, y, 0.47, 0.67, 0.61, 0.52)) - 0.035;
  const white = (body <= 0 && inner > 0) || ringL <= 0 || ringR <= 0 || (inner <= 0 && check <= 0);
  return white ? [...WHITE, 255] : [...BLUE, 255];
}

function draw(size: number, file: string, opts: { rounded: boolean; scale: number }) {
  const png = new PNG({ width: size, height: size });
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = sample((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size, opts);
          for (let i = 0; i < 3; i++) acc[i] = (acc[i] ?? 0) + (c[i] ?? 0) * (c[3] ?? 0);
          acc[3] = (acc[3] ?? 0) + (c[3] ?? 0);
        }
      }
      const idx = (py * size + px) * 4;
      const a = acc[3] ?? 0;
      for (let i = 0; i < 3; i++) png.data[idx + i] = a ? Math.round((acc[i] ?? 0) / a) : 0;
      png.data[idx + 3] = Math.round(a / (n * n));
    }
  }
  writeFileSync(new URL(`../public/icons/${file}`, import.meta.url), PNG.sync.write(png));
}

draw(192, 'icon-192.png', { rounded: true, scale: 1 });
draw(512, 'icon-512.png', { rounded: true, scale: 1 });
// Maskable: full-bleed background, glyph inside the 80 % safe zone.
draw(512, 'maskable-512.png', { rounded: false, scale: 0.8 });
// iOS rounds the corners itself and shows transparency as black.
draw(180, 'apple-touch-icon.png', { rounded: false, scale: 0.9 });
draw(64, 'favicon-64.png', { rounded: true, scale: 1 });
