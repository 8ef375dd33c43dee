import { describe, expect, it } from 'vitest';
import { buildResources, SUPPORTED_LANGUAGES } from './index.ts';

/** Flattens nested keys to dotted paths so two languages can be compared key by key. */
function flatten(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    flatten(v, prefix ? `${prefix}.${k}` : k),
  );
}

describe('locale files', () => {
  const resources = buildResources();

  it('has every supported language', () => {
    for (const lng of SUPPORTED_LANGUAGES) expect(resources[lng], lng).toBeDefined();
  });

  it('has the same namespaces and keys in every language', () => {
    const keysOf = (lng: string) =>
      Object.entries(resources[lng] ?? {})
        .flatMap(([ns, tree]) => flatten(tree).map((k) => `${ns}:${k}`))
        .sort();
    const ko = keysOf('ko');
    const en = keysOf('en');
    expect(ko.length).toBeGreaterThan(0);
    expect(
      ko.filter((k) => !en.includes(k)),
      'keys in ko missing from en',
    ).toEqual([]);
    expect(
      en.filter((k) => !ko.includes(k)),
      'keys in en missing from ko',
    ).toEqual([]);
  });

  it('has no empty strings', () => {
    for (const lng of SUPPORTED_LANGUAGES) {
      for (const [ns, tree] of Object.entries(resources[lng] ?? {})) {
        const walk = (v: unknown, path: string) => {
          if (typeof v === 'string') expect(v.trim(), `${lng}/${ns}:${path}`).not.toBe('');
          else if (v && typeof v === 'object')
            for (const [k, c] of Object.entries(v)) walk(c, path ? `${path}.${k}` : k);
        };
        walk(tree, '');
      }
    }
  });
});
