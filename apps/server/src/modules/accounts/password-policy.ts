import { dictionary } from '@zxcvbn-ts/language-common';
import { HttpProblem } from '../../platform/problem.ts';

/**
 * The most common passwords (the zxcvbn-ts common list, about 50,000 entries from breach corpora),
 * compared case-insensitively and ignoring surrounding spaces: `Password ` is as guessable as
 * `password`. Built on first use so processes that never sign anyone up pay nothing.
 */
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.trim().toLowerCase());
}

/** Refuses a new password that is on the common list (the schema already refused short or blank ones). */
export function assertStrongPassword(password: string): void {
  if (isCommonPassword(password)) {
    throw new HttpProblem(
      400,
      'This password is one of the most common passwords and would be guessed quickly; choose another',
      {
        code: 'weak_password',
        errors: [{ path: 'password', message: 'This password is too common; choose another' }],
      },
    );
  }
}
