import { isReservedKey } from '@eventmanager/domain/common/safe-text';
import { emailSchema } from '@eventmanager/domain/common/schema';
import type { Event } from '@eventmanager/domain/events/schema';
import {
  type CustomFieldDefinition,
  validateCustomResponses,
} from '@eventmanager/domain/participants/custom-responses';
import type { ImportRowResult } from '@eventmanager/domain/participants/participant.schema';
import { participantNameSchema } from '@eventmanager/domain/participants/participant.schema';
import { normalizePhone } from '@eventmanager/domain/participants/phone';
import Papa from 'papaparse';
import { normaliseEmail } from '../../platform/pii.ts';
import { badRequest } from '../../platform/problem.ts';
import type { RegistrationCandidate } from './registration.batch.ts';
import { IDENTITY_ALIASES, normaliseHeader, unsafeCell } from './spreadsheet.columns.ts';

/** Where a CSV column goes: an identity part, a custom field (`custom:<id>`), or nowhere. */
export type ColumnTarget = 'name' | 'email' | 'phone' | `custom:${string}` | 'ignore';

export const MAX_IMPORT_ROWS = 10_000;

export interface ParsedImport {
  /** Row index (1 = first data row) → a candidate, or the reasons the row was not accepted. */
  rows: ({ row: number; candidate: RegistrationCandidate } | { row: number; invalid: ImportRowResult })[];
  ignoredColumns: string[];
}

/** Header → target: the organizer's mapping first, then identity aliases, field ids and labels. */
function mapHeaders(
  headers: string[],
  fields: readonly CustomFieldDefinition[],
  explicit: Record<string, ColumnTarget>,
) {
  const byKey = new Map<string, ColumnTarget>();
  for (const f of fields) {
    byKey.set(normaliseHeader(f.id), `custom:${f.id}`);
    if (f.label) byKey.set(normaliseHeader(f.label), `custom:${f.id}`);
  }
  const explicitNormalised = new Map(Object.entries(explicit).map(([k, v]) => [normaliseHeader(k), v]));
  return headers.map((h) => {
    const key = normaliseHeader(h);
    return explicitNormalised.get(key) ?? IDENTITY_ALIASES.get(key) ?? byKey.get(key) ?? 'ignore';
  });
}

const TRUE = new Set(['true', 'y', 'yes', '1', 'o', '예', '네', 'v', 'checked', '✓']);
const FALSE = new Set(['false', 'n', 'no', '0', '아니오', '아니요', '']);

/** CSV text → typed answers by field type (numbers, booleans, lists), before the common validation. */
function coerce(field: CustomFieldDefinition, text: string): unknown {
  const value = text.trim();
  if (value === '') return undefined;
  switch (field.type) {
    case 'number': {
      const n = Number(value.replace(/,/g, ''));
      return Number.isFinite(n) ? n : value;
    }
    case 'checkbox': {
      const v = value.toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      return value;
    }
    case 'multi_choice':
      return value
        .split(/[;,]/)
        .map((s) => s.trim())
        .filter(Boolean);
    default:
      return value;
  }
}

/**
 * Parses the CSV (UTF-8, BOM tolerated) and validates every row with the same rules as the
 * registration form. Invalid rows are reported with their reasons; valid ones become candidates
 * (source `import`, added_by the organizer).
 */
export function parseImport(
  csv: string,
  event: Event,
  userId: string,
  now: Date,
  explicitMapping: Record<string, ColumnTarget> = {},
): ParsedImport {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [headers, ...data] = parsed.data;
  if (!headers || headers.length === 0) throw badRequest('The CSV file is empty');
  const reserved = [...headers, ...Object.keys(explicitMapping)].filter(
    (h) => isReservedKey(h.trim()) || isReservedKey(normaliseHeader(h)),
  );
  if (reserved.length > 0) {
    throw badRequest(
      'A column header is a reserved name',
      reserved.map((h) => ({ path: 'csv', message: `"${h}" cannot be a column header; rename the column` })),
    );
  }
  if (data.length > MAX_IMPORT_ROWS) throw badRequest(`At most ${MAX_IMPORT_ROWS} rows per import`);
  const fields = event.registration.form_fields;
  const targets = mapHeaders(headers, fields, explicitMapping);
  if (!targets.includes('email') || !targets.includes('name')) {
    throw badRequest('The CSV needs a name and an e-mail column', [
      { path: 'csv', message: `columns found: ${headers.join(', ')}` },
    ]);
  }
  const fieldById = new Map(fields.map((f) => [f.id, f]));
  const rows: ParsedImport['rows'] = data.map((cells, i) => {
    const row = i + 1;
    let name = '';
    let email = '';
    let phoneText = '';
    // No prototype: a mapped id can only ever name an own answer.
    const answers: Record<string, unknown> = Object.create(null);
    targets.forEach((target, col) => {
      const cell = unsafeCell(cells[col] ?? '');
      if (target === 'name') name = cell;
      else if (target === 'email') email = cell;
      else if (target === 'phone') phoneText = cell;
      else if (target.startsWith('custom:')) {
        const id = target.slice('custom:'.length);
        const field = fieldById.get(id);
        const value = field ? coerce(field, cell) : cell.trim() || undefined;
        if (value !== undefined) answers[id] = value;
      }
    });
    const errors: { path: string; message: string }[] = [];
    const nameOk = participantNameSchema.safeParse(name);
    if (!nameOk.success) errors.push({ path: 'identity.name', message: 'is required (1-100 characters)' });
    const emailOk = emailSchema.safeParse(email);
    if (!emailOk.success) errors.push({ path: 'identity.email', message: 'must be a valid e-mail address' });
    const phone = phoneText.trim() ? normalizePhone(phoneText) : null;
    if (phone === undefined) errors.push({ path: 'identity.phone', message: 'must be a valid phone number' });
    const checked = validateCustomResponses(fields, answers);
    errors.push(...checked.errors);
    if (errors.length > 0 || !nameOk.success || !emailOk.success || phone === undefined) {
      return { row, invalid: { row, outcome: 'invalid', reason: 'invalid_row', errors } };
    }
    return {
      row,
      candidate: {
        name: nameOk.data,
        email: normaliseEmail(emailOk.data),
        phone,
        customResponses: checked.value,
        consents: { privacy: { agreed_at: now.toISOString(), version: 'organizer-import' }, marketing: null },
        language: event.language,
        source: 'import',
        referralCode: null,
        addedBy: userId,
        channel: 'organizer',
      },
    };
  });
  const ignoredColumns = headers.filter((_, i) => targets[i] === 'ignore');
  return { rows, ignoredColumns };
}
