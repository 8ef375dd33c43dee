/** The announcement card as an image: drawn on a canvas so it can be shared as a file or downloaded. */

export interface AnnouncementText {
  heading: string;
  eventName: string;
  winnerName: string;
  winnerNumber: string;
  footer: string;
}

export const formatRegistrationNumber = (n: number) => `#${String(n).padStart(3, '0')}`;

const WIDTH = 1080;
const HEIGHT = 1080;

/** Shrinks the font until the text fits the width (long Korean event names). */
function fitText(
  ctx: CanvasRenderingContext2D,
  text: string,
  maxWidth: number,
  size: number,
  weight: number,
) {
  let s = size;
  do {
    ctx.font = `${weight} ${s}px "Pretendard Variable", Pretendard, system-ui, sans-serif`;
    s -= 4;
  } while (ctx.measureText(text).width > maxWidth && s > 20);
}

export function drawAnnouncement(canvas: HTMLCanvasElement, text: AnnouncementText): void {
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const gradient = ctx.createLinearGradient(0, 0, WIDTH, HEIGHT);
  gradient.addColorStop(0, '#1b64da');
  gradient.addColorStop(1, '#6a3de8');
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);

  // Confetti dots, placed deterministically so the same winner always renders the same card.
  const colours = ['#ffd43b', '#ff8787', '#69db7c', '#ffffff'];
  for (let i = 0; i < 60; i++) {
    ctx.fillStyle = colours[i % colours.length]!;
    ctx.globalAlpha = 0.35;
    const x = (i * 397) % WIDTH;
    const y = (i * 613) % HEIGHT;
    // Keep the confetti out of the text column so the name stays crisp.
    if (x > 140 && x < WIDTH - 140 && y > 160 && y < HEIGHT - 80) continue;
    ctx.beginPath();
    ctx.arc(x, y, 6 + (i % 5) * 3, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.globalAlpha = 1;

  ctx.fillStyle = '#ffffff';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  fitText(ctx, text.heading, WIDTH - 160, 64, 700);
  ctx.fillText(text.heading, WIDTH / 2, 250);
  fitText(ctx, text.winnerName, WIDTH - 120, 140, 800);
  ctx.fillText(text.winnerName, WIDTH / 2, 500);
  fitText(ctx, text.winnerNumber, WIDTH - 160, 96, 700);
  ctx.fillStyle = '#ffd43b';
  ctx.fillText(text.winnerNumber, WIDTH / 2, 650);
  ctx.fillStyle = '#ffffff';
  fitText(ctx, text.eventName, WIDTH - 160, 48, 600);
  ctx.fillText(text.eventName, WIDTH / 2, 820);
  ctx.globalAlpha = 0.8;
  fitText(ctx, text.footer, WIDTH - 160, 30, 400);
  ctx.fillText(text.footer, WIDTH / 2, 960);
  ctx.globalAlpha = 1;
}

export function renderAnnouncementPng(text: AnnouncementText): Promise<Blob> {
  const canvas = document.createElement('canvas');
  drawAnnouncement(canvas, text);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('canvas export failed'))), 'image/png');
  });
}

/**
 * Shares the card through the Web Share API when the device can share files (phones), otherwise
 * downloads it as a PNG. Returns how it went out; a share the person cancelled returns 'cancelled'.
 */
export async function shareOrDownload(
  text: AnnouncementText,
  fileName: string,
  shareText: string,
): Promise<'shared' | 'downloaded' | 'cancelled'> {
  const blob = await renderAnnouncementPng(text);
  const file = new File([blob], fileName, { type: 'image/png' });
  if (typeof navigator.share === 'function' && navigator.canShare?.({ files: [file] })) {
    try {
      await navigator.share({ files: [file], title: text.heading, text: shareText });
      return 'shared';
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
      // Sharing failed for another reason (permissions): fall back to a download.
    }
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return 'downloaded';
}
