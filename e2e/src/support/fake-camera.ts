import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

/**
 * Writes a one-frame Y4M video of a QR code (black on white, centred) for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`), which loops it. Y4M is raw I420: a luma plane from the QR
 * modules, neutral chroma planes.
 */
export function writeQrY4m(path: string, text: string, width = 640, height = 480): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const quiet = 4;
  // qr-scanner looks at the centre two thirds of the frame: keep the code (with its quiet zone) well inside.
  const scale = Math.max(2, Math.floor((0.55 * Math.min(width, height)) / (size + 2 * quiet)));
  const drawn = size * scale;
  const left = Math.floor((width - drawn) / 2);
  const top = Math.floor((height - drawn) / 2);
  const y = Buffer.alloc(width * height, 235);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      if (!qr.modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const offset = (top + row * scale + dy) * width + left + col * scale;
        y.fill(16, offset, offset + scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`);
  writeFileSync(path, Buffer.concat([header, y, chroma, chroma]));
}
