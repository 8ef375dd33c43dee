import type { Language } from '@eventmanager/domain/common/schema';
import type { Event } from '@eventmanager/domain/events/schema';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { PiiCipher } from '../../platform/pii.ts';
import type { ParticipantRow } from './participants.tables.ts';
import { FIXED_COLUMNS, HEADERS, safeCell } from './spreadsheet.columns.ts';

type Answer = ParticipantRow['customResponses'][string];

function answerText(value: Answer | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('; ');
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  return String(value);
}

/**
 * Everything the organizer may see, one row per participant: identity (phone unmasked — export is
 * organizer-only and logged), registration, check-in, marketing consent, then every answer column
 * (current form fields, then retired ones so old answers are not lost).
 */
export function exportTable(
  event: Event,
  rows: ParticipantRow[],
  cipher: PiiCipher,
  language: Language,
): string[][] {
  const fields = [...event.registration.form_fields, ...event.registration.retired_form_fields];
  const headers = [...FIXED_COLUMNS.map((c) => HEADERS[language][c]), ...fields.map((f) => f.label)];
  const body = rows.map((row) => [
    String(row.registrationNumber),
    row.name,
    cipher.decrypt(row.emailEnc),
    row.phoneEnc ? cipher.decrypt(row.phoneEnc) : '',
    row.registrationStatus,
    row.source,
    row.registrationTimestamp.toISOString(),
    row.checkinStatus,
    row.checkinTimestamp ? row.checkinTimestamp.toISOString() : '',
    row.consents.marketing?.agreed ? 'Y' : 'N',
    ...fields.map((f) => answerText(row.customResponses[f.id])),
  ]);
  return [headers, ...body];
}

/** CSV with a UTF-8 BOM so Excel opens Hangul correctly; CRLF line ends as Excel writes them. */
export function toCsv(table: string[][]): Buffer {
  const csv = Papa.unparse(
    table.map((r) => r.map(safeCell)),
    { newline: '\r\n' },
  );
  return Buffer.from(`\uFEFF${csv}\r\n`, 'utf8');
}

/**
 * A worksheet name Excel accepts, from an event name: at most 31 characters, none of \ / ? * [ ] :,
 * not starting or ending with an apostrophe, not "History" (reserved by Excel), never empty.
 */
export function worksheetName(name: string): string {
  // 31 UTF-16 units (Excel's count), without cutting a character in half.
  const cut = name
    .replace(/[\\/?*[\]:\p{Cc}]/gu, ' ')
    .slice(0, 31)
    .replace(/[\uD800-\uDBFF]$/, '');
  const cleaned = cut.replace(/^[\s']+|[\s']+$/g, '');
  if (cleaned === '' || cleaned.toLowerCase() === 'history') return 'Participants';
  return cleaned;
}

export async function toXlsx(table: string[][], sheetName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'eventManager';
  const sheet = workbook.addWorksheet(worksheetName(sheetName));
  for (const row of table) sheet.addRow(row);
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  sheet.columns.forEach((column) => {
    column.width = 18;
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
