import { crc32, deflateSync } from 'node:zlib';
import QRCode from 'qrcode';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A QR code as a 1-bit greyscale PNG. The `qrcode` package's PNG renderer builds a full RGBA image
 * and runs it through a general PNG encoder, ~20 ms per code on a busy machine, which dominated
 * bulk reminders; a QR image is two colours on a module grid, so writing the 1-bit scanlines
 * directly costs well under a millisecond for the same pixels.
 */
export function qrPng(text: string, options: { scale: number; margin: number }): Buffer {
  const modules = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  const { scale, margin } = options;
  const side = (modules.size + 2 * margin) * scale;
  const rowBytes = Math.ceil(side / 8);
  const raw = Buffer.alloc((rowBytes + 1) * side, 0);
  // One scanline per module row (filter byte 0, then 1-bit pixels, 1 = white), copied `scale` times.
  const line = Buffer.alloc(rowBytes + 1, 0);
  for (let my = -margin; my < modules.size + margin; my++) {
    line.fill(0);
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      const dark = my >= 0 && mx >= 0 && my < modules.size && mx < modules.size && modules.get(my, mx);
      if (!dark) line[1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
    for (let k = 0; k < scale; k++) line.copy(raw, ((my + margin) * scale + k) * (rowBytes + 1));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // colour type: greyscale
  header[10] = 0;
  header[11] = 0;
  header[12] = 0;
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
