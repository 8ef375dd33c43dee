/**
 * Phone numbers as Koreans type them: "010-1234-5678", "01012345678", "+82 10 1234 5678".
 * One stored form: Korean numbers in national notation with hyphens ("010-1234-5678"), other
 * countries as "+<digits>" (E.164).
 */
const SEPARATORS = /[\s\-.()]/g;

export function normalizePhone(input: string): string | undefined {
  const compact = input.trim().replace(SEPARATORS, '');
  let national: string | undefined;
  if (/^\+82\d+$/.test(compact)) national = `0${compact.slice(3).replace(/^0/, '')}`;
  else if (/^0082\d+$/.test(compact)) national = `0${compact.slice(4).replace(/^0/, '')}`;
  else if (/^0\d+$/.test(compact)) national = compact;
  else if (/^\+[1-9]\d{6,14}$/.test(compact)) return compact;
  if (!national) return undefined;
  return formatKorean(national);
}

function formatKorean(digits: string): string | undefined {
  // Seoul area code 02: 02-123-4567 or 02-1234-5678.
  if (/^02\d{7,8}$/.test(digits)) {
    const rest = digits.slice(2);
    const mid = rest.length - 4;
    return `02-${rest.slice(0, mid)}-${rest.slice(mid)}`;
  }
  // Mobile (010, 011, 016–019), other area codes (031…064) and 070: 3 digits, then 3–4, then 4.
  if (/^0\d{2}\d{7,8}$/.test(digits)) {
    const rest = digits.slice(3);
    const mid = rest.length - 4;
    return `${digits.slice(0, 3)}-${rest.slice(0, mid)}-${rest.slice(mid)}`;
  }
  return undefined;
}

/** "010-1234-5678" → "010-****-5678"; "+4915112345678" → "+491*******5678". */
export function maskPhone(phone: string): string {
  const parts = phone.split('-');
  if (parts.length === 3) return `${parts[0]}-${'*'.repeat(parts[1]!.length)}-${parts[2]}`;
  if (phone.length <= 8) return `${phone.slice(0, 2)}${'*'.repeat(Math.max(0, phone.length - 2))}`;
  return `${phone.slice(0, 4)}${'*'.repeat(phone.length - 8)}${phone.slice(-4)}`;
}
