import type { Language } from '@eventmanager/domain/common/schema';
import type { MailBranding } from '../mail-data.ts';
import { QR_CID } from './attachments.ts';
import type { MailContent } from './content.ts';
import { escapeHtml, safeColor, safeUrl } from './format.ts';

const DEFAULT_PRIMARY = '#4f46e5';

/**
 * The HTML part: a single 600px column of tables with inline styles (what Gmail, Outlook and the
 * Korean portals' webmail all render), shrinking to the screen width on phones. Premium organizers'
 * branding (logo, colour) replaces the eventManager header. Korean text wraps between words
 * (`word-break: keep-all`), not in the middle of one as browsers do by default.
 */
export function renderHtml(content: MailContent, language: Language, branding: MailBranding): string {
  const primary = safeColor(branding?.primary_color, DEFAULT_PRIMARY);
  const logo = safeUrl(branding?.logo_url);
  const brandName = branding?.organizer_name ?? 'eventManager';
  const e = escapeHtml;
  const font =
    "-apple-system,BlinkMacSystemFont,'Apple SD Gothic Neo','Malgun Gothic','Noto Sans KR','Segoe UI',Roboto,Helvetica,Arial,sans-serif";

  const header = logo
    ? `<img src="${e(logo)}" alt="${e(brandName)}" height="40" style="display:block;height:40px;max-width:220px;border:0;">`
    : `<span style="font-size:20px;font-weight:700;color:#ffffff;letter-spacing:-0.3px;">${e(brandName)}</span>`;

  const paragraphs = content.paragraphs
    .map((p) => `<p style="margin:0 0 14px;font-size:16px;line-height:1.6;color:#1f2937;">${e(p)}</p>`)
    .join('');

  const details = content.details.length
    ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:8px 0 20px;background:#f9fafb;border-radius:12px;">
        ${content.details
          .map(
            (d) => `<tr>
              <td class="label" style="padding:12px 16px;font-size:13px;color:#6b7280;width:110px;vertical-align:top;">${e(d.label)}</td>
              <td style="padding:12px 16px;font-size:15px;color:#111827;font-weight:600;">${
                d.links
                  ? d.links
                      .map(
                        (l) =>
                          `<a href="${e(l.url)}" target="_blank" style="color:${primary};text-decoration:underline;">${e(l.label)}</a>`,
                      )
                      .join(' · ')
                  : e(d.value)
              }</td>
            </tr>`,
          )
          .join('')}
      </table>`
    : '';

  const stats = content.stats.length
    ? `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="margin:8px 0 20px;border-collapse:separate;border-spacing:0 6px;">
        ${content.stats
          .map(
            (s) => `<tr>
              <td style="padding:10px 16px;background:#f9fafb;border-radius:8px 0 0 8px;font-size:14px;color:#374151;">${e(s.label)}</td>
              <td align="right" style="padding:10px 16px;background:#f9fafb;border-radius:0 8px 8px 0;font-size:18px;font-weight:700;color:${primary};">${e(s.value)}</td>
            </tr>`,
          )
          .join('')}
      </table>`
    : '';

  const qr = content.qrCaption
    ? `<div style="text-align:center;margin:8px 0 24px;">
        <img src="cid:${QR_CID}" width="200" height="200" alt="QR" style="display:inline-block;width:200px;height:200px;border:0;">
        <p style="margin:8px 0 0;font-size:14px;color:#4b5563;">${e(content.qrCaption)}</p>
      </div>`
    : '';

  const actions = content.actions
    .map(
      (
        a,
        i,
      ) => `<table role="presentation" cellpadding="0" cellspacing="0" class="button" style="margin:0 auto 12px;">
        <tr><td align="center" style="border-radius:10px;background:${i === 0 ? primary : '#ffffff'};${i === 0 ? '' : `border:1px solid ${primary};`}">
          <a href="${e(a.url)}" target="_blank" style="display:inline-block;padding:14px 28px;font-size:16px;font-weight:600;color:${i === 0 ? '#ffffff' : primary};text-decoration:none;border-radius:10px;">${e(a.label)}</a>
        </td></tr>
      </table>`,
    )
    .join('');

  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${e(content.subject)}</title>
<style>
  @media (max-width: 620px) {
    .container { width: 100% !important; border-radius: 0 !important; }
    .content { padding: 24px 20px !important; }
    .label { width: 84px !important; }
    .button, .button a { width: 100% !important; box-sizing: border-box; }
  }
</style>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:${font};word-break:keep-all;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${e(content.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;">
  <tr><td align="center" style="padding:24px 8px;">
    <table role="presentation" class="container" width="600" cellpadding="0" cellspacing="0" style="width:600px;max-width:600px;background:#ffffff;border-radius:16px;overflow:hidden;">
      <tr><td style="background:${primary};padding:20px 32px;">${header}</td></tr>
      ${
        content.cover
          ? `<tr><td style="padding:0;"><img src="${e(content.cover.url)}" alt="${e(content.cover.alt)}" width="600" style="display:block;width:100%;max-width:600px;height:auto;border:0;"></td></tr>`
          : ''
      }
      <tr><td class="content" style="padding:32px;font-family:${font};word-break:keep-all;overflow-wrap:break-word;">
        <h1 style="margin:0 0 20px;font-size:24px;line-height:1.3;color:#111827;">${e(content.heading)}</h1>
        ${paragraphs}
        ${details}
        ${qr}
        ${stats}
        ${actions}
      </td></tr>
      <tr><td style="padding:20px 32px;background:#f9fafb;font-size:12px;line-height:1.6;color:#6b7280;">
        ${e(content.footer)}
      </td></tr>
    </table>
  </td></tr>
</table>
</body>
</html>`;
}

/** The plain-text part: the same content, readable in any client and by screen readers. */
export function renderText(content: MailContent): string {
  const lines: string[] = [content.heading, ''];
  for (const p of content.paragraphs) lines.push(p, '');
  for (const d of content.details) lines.push(`${d.label}: ${d.value}`);
  if (content.details.length) lines.push('');
  for (const s of content.stats) lines.push(`${s.label}: ${s.value}`);
  if (content.stats.length) lines.push('');
  if (content.qrCaption) lines.push(content.qrCaption, '');
  for (const a of content.actions) lines.push(`${a.label}: ${a.url}`);
  if (content.actions.length) lines.push('');
  lines.push('--', content.footer);
  return `${lines.join('\n')}\n`;
}
