import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CustomFieldDefinition, validateCustomResponses } from './custom-responses.ts';

const fields: CustomFieldDefinition[] = [
  { id: 'company', type: 'text', label: '회사', required: true, max_length: 10 },
  { id: 'bio', type: 'long_text', label: '소개' },
  { id: 'size', type: 'single_choice', label: '티셔츠', options: ['S', 'M', 'L'], required: true },
  { id: 'topics', type: 'multi_choice', label: '관심', options: ['AI', 'Web', 'DB'] },
  { id: 'agree', type: 'checkbox', label: '동의', required: true },
  { id: 'age', type: 'number', label: '나이' },
  { id: 'work_email', type: 'email', label: '회사 메일' },
  { id: 'mobile', type: 'phone', label: '연락처' },
];

const valid = {
  company: ' 네이버 ',
  size: 'M',
  topics: ['AI', 'DB'],
  agree: true,
  age: 31,
  work_email: 'Kim@Example.com',
  mobile: '01012345678',
};

describe('validateCustomResponses', () => {
  it('accepts and normalises valid answers', () => {
    const { value, errors } = validateCustomResponses(fields, valid);
    expect(errors).toEqual([]);
    expect(value).toEqual({
      company: '네이버',
      size: 'M',
      topics: ['AI', 'DB'],
      agree: true,
      age: 31,
      work_email: 'kim@example.com',
      mobile: '010-1234-5678',
    });
  });

  it('names every offending field', () => {
    const { errors } = validateCustomResponses(fields, {
      company: 'x'.repeat(11),
      size: 'XL',
      topics: ['AI', 'Go'],
      agree: false,
      age: '31',
      work_email: 'nope',
      mobile: '12',
      hacker: 'x',
    });
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      [
        'custom_responses.age',
        'custom_responses.agree',
        'custom_responses.company',
        'custom_responses.hacker',
        'custom_responses.mobile',
        'custom_responses.size',
        'custom_responses.topics',
        'custom_responses.work_email',
      ].sort(),
    );
  });

  it('requires required fields', () => {
    const { errors } = validateCustomResponses(fields, { company: '  ', topics: [] });
    expect(errors.map((e) => e.path).sort()).toEqual([
      'custom_responses.agree',
      'custom_responses.company',
      'custom_responses.size',
    ]);
  });

  it('counts length in characters, not UTF-16 units (Korean and emoji)', () => {
    expect(validateCustomResponses(fields, { ...valid, company: '가나다라마바사아자차' }).errors).toEqual([]);
    expect(validateCustomResponses(fields, { ...valid, company: '😀'.repeat(10) }).errors).toEqual([]);
  });

  it('rejects repeated options', () => {
    expect(validateCustomResponses(fields, { ...valid, topics: ['AI', 'AI'] }).errors).toHaveLength(1);
  });

  it('never accepts an id outside the form', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !fields.some((f) => f.id === k)),
        fc.jsonValue(),
        (key, v) => {
          const { errors, value } = validateCustomResponses(fields, { ...valid, [key]: v });
          expect(errors.some((e) => e.path === `custom_responses.${key}`)).toBe(true);
          expect(Object.hasOwn(value, key)).toBe(false);
        },
      ),
    );
  });
});
