import type { FormField } from '@eventmanager/domain/events/form-field';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n/index.ts';
import { type RegistrationDraft, validateRegistration } from './registration-form.ts';
import { serverPathToKey } from './server-paths.ts';

const t = i18n.t.bind(i18n);
const fields: FormField[] = [
  { id: 'company', type: 'text', label: 'Company', required: true, max_length: 5 },
  { id: 'track', type: 'single_choice', label: 'Track', required: false, options: ['FE', 'BE'] },
  { id: 'age', type: 'number', label: 'Age', required: false },
];
const event = {
  language: 'ko' as const,
  registration: { deadline: null, requires_approval: false, form_fields: fields, phone: 'optional' as const },
};

function draft(over: Partial<RegistrationDraft> = {}): RegistrationDraft {
  return {
    name: '홍길동',
    email: ' Hong@Example.com ',
    phone: '+82 10 1234 5678',
    answers: { company: 'ACME', track: 'BE' },
    consents: { privacy: true, age14: true, marketing: false },
    ...over,
  };
}

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('registration form validation', () => {
  it('accepts a valid form and normalises what the server would', () => {
    const result = validateRegistration(event, draft(), 'ko', t);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body.identity.email).toBe('hong@example.com');
    expect(result.body.identity.phone).toBe('010-1234-5678');
    expect(result.body.custom_responses).toEqual({ company: 'ACME', track: 'BE' });
    expect(result.body.consents).toEqual({ privacy: true, marketing: false });
  });

  it('requires the personal data consent and the 14+ confirmation, but not marketing', () => {
    const noPrivacy = validateRegistration(
      event,
      draft({ consents: { privacy: false, age14: true, marketing: true } }),
      'ko',
      t,
    );
    expect(noPrivacy.ok).toBe(false);
    if (!noPrivacy.ok)
      expect(noPrivacy.errors.consent).toBe('Please agree to the required items to register.');
    const noAge = validateRegistration(
      event,
      draft({ consents: { privacy: true, age14: false, marketing: false } }),
      'ko',
      t,
    );
    expect(noAge.ok).toBe(false);
    expect(
      validateRegistration(
        event,
        draft({ consents: { privacy: true, age14: true, marketing: false } }),
        'ko',
        t,
      ).ok,
    ).toBe(true);
  });

  it('reports custom answer errors per field with the server rules', () => {
    const result = validateRegistration(
      event,
      draft({ answers: { company: 'TOO LONG NAME', track: 'ML', age: Number.NaN } }),
      'ko',
      t,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['cf.company']).toBe('Use 5 characters or fewer.');
    expect(result.errors['cf.track']).toBe('Choose from the list.');
    expect(result.errors['cf.age']).toBe('Enter a number.');
    const missing = validateRegistration(event, draft({ answers: {} }), 'ko', t);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors['cf.company']).toBe('This field is required.');
  });

  it('rejects a bad e-mail and phone', () => {
    const result = validateRegistration(event, draft({ email: 'nope', phone: '12' }), 'ko', t);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.email).toBe('Enter a valid e-mail address.');
    expect(result.errors.phone).toBe('Enter a valid phone number.');
  });

  it('maps server error paths onto form keys', () => {
    expect(serverPathToKey('identity.email')).toBe('email');
    expect(serverPathToKey('custom_responses.company')).toBe('cf.company');
    expect(serverPathToKey('consents.privacy')).toBe('consent');
  });

  it('follows the event phone setting: required needs one, off sends none', () => {
    const required = { ...event, registration: { ...event.registration, phone: 'required' as const } };
    const missing = validateRegistration(required, draft({ phone: '' }), 'ko', t);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(Object.keys(missing.errors)).toEqual(['phone']);
    const off = { ...event, registration: { ...event.registration, phone: 'off' as const } };
    const sent = validateRegistration(off, draft(), 'ko', t);
    expect(sent.ok).toBe(true);
    if (sent.ok) expect(sent.body.identity.phone).toBeUndefined();
  });
});
