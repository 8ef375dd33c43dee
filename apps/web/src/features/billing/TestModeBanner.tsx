import { useTranslation } from 'react-i18next';

/** Shown wherever money would move while payments go to the local Toss test simulator. */
export function TestModeBanner() {
  const { t } = useTranslation('billing');
  return (
    <p role="note" className="card" data-testid="billing-test-mode">
      {t('testMode')}
    </p>
  );
}
