import i18n, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * Every feature owns a namespace: apps/web/src/i18n/locales/{ko,en}/<namespace>.json. Files are
 * picked up by this glob, so adding a screen means adding two JSON files and nothing else.
 */
const files = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json', { eager: true });

export const SUPPORTED_LANGUAGES = ['ko', 'en'] as const;
export type AppLanguage = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: AppLanguage = 'ko';
const STORAGE_KEY = 'em.language';

export function buildResources(): Resource {
  const resources: Resource = {};
  for (const [file, mod] of Object.entries(files)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(file);
    if (!match?.[1] || !match[2]) continue;
    const [, lng, ns] = match;
    resources[lng] ??= {};
    (resources[lng] as Record<string, unknown>)[ns] = mod.default;
  }
  return resources;
}

export function isAppLanguage(value: unknown): value is AppLanguage {
  return typeof value === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(value);
}

/** The user's stored choice, else the browser's first supported language, else Korean. */
export function detectLanguage(): AppLanguage {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isAppLanguage(stored)) return stored;
  } catch {
    // Storage can be unavailable (private mode); fall through to the browser.
  }
  const candidates = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of candidates) {
    const base = tag?.toLowerCase().split('-')[0];
    if (isAppLanguage(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

/** True when the person picked a language on this device (then it beats an event's language). */
export function hasStoredLanguage(): boolean {
  try {
    return isAppLanguage(localStorage.getItem(STORAGE_KEY));
  } catch {
    return false;
  }
}

/** Shows a page in a language without remembering it (a public page in its event's language). */
export async function showInLanguage(lng: AppLanguage): Promise<void> {
  if (i18n.language !== lng) await i18n.changeLanguage(lng);
}

/** Switches the UI language and remembers it on this device (the server preference is saved separately). */
export async function setLanguage(lng: AppLanguage): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Not remembered on this device; the language still switches.
  }
  await i18n.changeLanguage(lng);
}

const resources = buildResources();

void i18n.use(initReactI18next).init({
  resources,
  lng: detectLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...SUPPORTED_LANGUAGES],
  ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

i18n.on('languageChanged', (lng) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
});
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export default i18n;
