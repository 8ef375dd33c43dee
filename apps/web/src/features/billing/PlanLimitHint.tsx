import type { LimitName } from '@eventmanager/domain/billing/plans';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSubscription } from '../../api/billing.ts';
import { formatNumber } from '../../i18n/format.ts';

/**
 * The caller's plan limit next to the control it bounds ("Free plan: 3 of 3 staff"), with a link to
 * the pricing page, so the limit is seen before the server refuses with plan_limit.
 */
export function PlanLimitHint({ limit, used }: { limit: LimitName; used?: number }) {
  const { t, i18n } = useTranslation('billing');
  const view = useSubscription();
  if (!view.data) return null;
  const allowed = view.data.limits[limit];
  if (allowed === null || allowed === true) return null;
  const plan = t(`plan.${view.data.tier}`);
  const text =
    typeof allowed === 'number'
      ? used === undefined
        ? t('hint.max', { plan, max: formatNumber(allowed, i18n.language), limit: t(`limit.${limit}`) })
        : t('hint.used', {
            plan,
            used: formatNumber(used, i18n.language),
            max: formatNumber(allowed, i18n.language),
            limit: t(`limit.${limit}`),
          })
      : t('hint.notIncluded', { plan, limit: t(`limit.${limit}`) });
  const full = typeof allowed === 'number' && used !== undefined && used >= allowed;
  return (
    <p className={`small ${full ? '' : 'muted'}`} data-testid={`plan-hint-${limit}`}>
      {text} <Link to="/pricing">{t('hint.seePlans')}</Link>
    </p>
  );
}
