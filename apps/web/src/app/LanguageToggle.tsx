import { useTranslation } from 'react-i18next';
import { type AppLanguage, setLanguage } from '../i18n/index.ts';

/** Shows the other language's name; one tap switches. */
export function LanguageToggle({ onChange }: { onChange?: (lng: AppLanguage) => void }) {
  const { t, i18n } = useTranslation();
  const next: AppLanguage = i18n.language === 'ko' ? 'en' : 'ko';
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      lang={next}
      aria-label={t('language.switchTo', { lng: t(`language.${next}`) })}
      data-testid="language-toggle"
      onClick={() => {
        void setLanguage(next);
        onChange?.(next);
      }}
    >
      {t(`language.short.${next}`)}
    </button>
  );
}
