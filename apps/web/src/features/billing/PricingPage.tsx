import type { BillingCycle, PaidPlan } from '@eventmanager/domain/billing/plans';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatKrw, openPaymentWindow, usePlans, usePrepare, useSubscription } from '../../api/billing.ts';
import { formatNumber } from '../../i18n/format.ts';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { TestModeBanner } from './TestModeBanner.tsx';

/** Plans side by side (KRW, VAT included), the current one marked; upgrading opens Toss's payment window. */
export function PricingPage() {
  const { t, i18n } = useTranslation('billing');
  const plans = usePlans();
  const subscription = useSubscription();
  const prepare = usePrepare();
  const errorMessage = useErrorMessage();
  const [cycle, setCycle] = useState<Exclude<BillingCycle, 'per_event'>>('monthly');
  const [notConfigured, setNotConfigured] = useState(false);

  if (plans.isPending || subscription.isPending) return <Loading />;
  if (plans.isError) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  const current = subscription.data?.tier ?? 'free';
  const lng = i18n.language;

  const choose = (plan: PaidPlan) => {
    prepare.mutate(
      { plan, billing_cycle: cycle },
      {
        onSuccess: (order) => {
          openPaymentWindow(order, window.location.origin, lng).catch(() => setNotConfigured(true));
        },
      },
    );
  };

  const limitValue = (value: number | boolean | null) => {
    if (value === null) return t('limits.unlimited');
    if (typeof value === 'boolean') return value ? t('limits.yes') : t('limits.no');
    return formatNumber(value, lng);
  };
  const rows = [
    'admitted_participants_per_event',
    'staff_per_event',
    'retention_days',
    'branding',
    'custom_domain',
    'statistics',
    'report_export',
  ] as const;

  return (
    <div className="page stack">
      <h1>{t('pricing.title')}</h1>
      <p className="muted">{t('pricing.vat')}</p>
      {plans.data.test_mode && <TestModeBanner />}
      {!plans.data.payments_enabled && <p role="status">{t('pricing.notConfigured')}</p>}
      <fieldset className="row" style={{ gap: 12, border: 0, padding: 0 }}>
        <legend className="visually-hidden">{t('pricing.cycle')}</legend>
        {(['monthly', 'yearly'] as const).map((c) => (
          <label key={c}>
            <input type="radio" name="cycle" checked={cycle === c} onChange={() => setCycle(c)} />{' '}
            {t(`cycle.${c}`)}
          </label>
        ))}
      </fieldset>
      <div
        className="pricing-grid"
        style={{ display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))' }}
      >
        {plans.data.plans.map((plan) => {
          const price = plan.id === 'free' ? 0 : plan.prices[cycle];
          const isCurrent = plan.id === current;
          return (
            <section
              key={plan.id}
              className="card stack"
              aria-labelledby={`plan-${plan.id}`}
              data-plan={plan.id}
            >
              <h2 id={`plan-${plan.id}`}>
                {t(`plan.${plan.id}`)}
                {isCurrent && <span className="badge"> {t('pricing.current')}</span>}
              </h2>
              <p>
                <strong>{formatKrw(price ?? 0, lng)}</strong> {plan.id !== 'free' && t(`per.${cycle}`)}
              </p>
              {plan.prices.per_event !== undefined && (
                <p className="muted">
                  {t('pricing.perEvent', { price: formatKrw(plan.prices.per_event, lng) })}
                </p>
              )}
              <dl>
                {rows.map((row) => (
                  <div key={row} className="row" style={{ justifyContent: 'space-between' }}>
                    <dt>{t(`limit.${row}`)}</dt>
                    <dd>{limitValue(plan.limits[row])}</dd>
                  </div>
                ))}
              </dl>
              {plan.id !== 'free' && !isCurrent && plans.data.payments_enabled && (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={prepare.isPending}
                  onClick={() => choose(plan.id as PaidPlan)}
                >
                  {t('pricing.choose', { plan: t(`plan.${plan.id}`) })}
                </button>
              )}
            </section>
          );
        })}
      </div>
      <p className="muted">
        {t('pricing.addons', { price: formatKrw(plans.data.addons[0]?.monthly_price ?? 0, lng) })}
      </p>
      {prepare.isError && <p role="alert">{errorMessage(prepare.error)}</p>}
      {notConfigured && <p role="alert">{t('pricing.sdkUnavailable')}</p>}
    </div>
  );
}
