import { createRequire } from 'node:module';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPng } from './qr-png.ts';

interface DecodedPng {
  width: number;
  height: number;
  data: Buffer;
}
// pngjs (a dependency of qrcode) decodes both images; it ships no types.
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(b: Buffer): DecodedPng } } };

describe('qrPng', () => {
  it.each([
    'TK-7Q2M-9XPA',
    'https://example.com/m/eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnopqrstuvwxyz0123456789',
  ])('draws exactly the pixels of the qrcode package renderer (%s)', async (text) => {
    const mine = PNG.sync.read(qrPng(text, { scale: 8, margin: 2 }));
    const reference = PNG.sync.read(
      await QRCode.toBuffer(text, { type: 'png', scale: 8, margin: 2, errorCorrectionLevel: 'M' }),
    );
    expect([mine.width, mine.height]).toEqual([reference.width, reference.height]);
    let different = 0;
    for (let i = 0; i < mine.width * mine.height; i++) {
      if (mine.data[i * 4]! > 128 !== reference.data[i * 4]! > 128) different++;
    }
    expect(different).toBe(0);
  });
});
