import { describe, expect, it } from 'vitest';
import { formFieldSchema } from '../events/form-field.ts';
import { validateCustomResponses } from '../participants/custom-responses.ts';
import { findUnsafeText, isReservedKey, safeText, unsafeTextReason } from './safe-text.ts';
import { webUrlSchema } from './schema.ts';

describe('safe text', () => {
  it('refuses NUL characters and unpaired surrogates, keeps everything else', () => {
    expect(unsafeTextReason('홍길동 😀 Ünïcödé')).toBeUndefined();
    expect(unsafeTextReason('a\u0000b')).toMatch(/NUL/);
    expect(unsafeTextReason('Kim \uD800')).toMatch(/surrogate/);
    expect(unsafeTextReason('\uDC00 lone low')).toMatch(/surrogate/);
    expect(safeText().safeParse('ok').success).toBe(true);
    expect(safeText().safeParse('no\u0000').success).toBe(false);
  });

  it('finds the first unsafe string or key in a parsed body, with its path', () => {
    expect(findUnsafeText({ a: ['x', { b: 'fine' }], n: 1, t: true, z: null })).toBeUndefined();
    expect(findUnsafeText({ a: ['x', { b: 'bad\u0000' }] })).toEqual({
      path: 'a.1.b',
      message: 'must not contain a NUL character',
    });
    expect(findUnsafeText({ 'k\uD800': 1 })?.path).toBe('k\uD800');
    expect(findUnsafeText('whole\u0000', 'body')?.path).toBe('body');
  });

  it('names the prototype members that may not be ids', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype']) {
      expect(isReservedKey(key)).toBe(true);
    }
    expect(isReservedKey('company')).toBe(false);
    const field = (id: string) => formFieldSchema.safeParse({ id, type: 'text', label: 'x' }).success;
    expect(field('constructor')).toBe(false);
    expect(field('__proto__')).toBe(false);
    expect(field('company')).toBe(true);
  });

  it('reads only own answers: an inherited member is not an answer', () => {
    const fields = [{ id: 'valueOf', type: 'text' as const, required: true }];
    expect(validateCustomResponses(fields, {}).errors).toEqual([
      { path: 'custom_responses.valueOf', message: 'is required' },
    ]);
  });
});

describe('web URLs', () => {
  it('accept https, and http only for loopback hosts', () => {
    const ok = (url: string) => webUrlSchema.safeParse(url).success;
    expect(ok('https://cdn.example.com/logo.png')).toBe(true);
    expect(ok('http://localhost:5173/logo.png')).toBe(true);
    expect(ok('http://127.0.0.1/logo.png')).toBe(true);
    expect(ok('http://cdn.example.com/logo.png')).toBe(false);
    expect(ok('javascript:alert(1)')).toBe(false);
    expect(ok('data:image/png;base64,AA')).toBe(false);
    expect(ok('a'.repeat(3000))).toBe(false);
  });
});
