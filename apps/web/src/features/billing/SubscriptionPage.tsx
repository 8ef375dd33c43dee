import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  cardRegistrationHref,
  formatKrw,
  useCancelAtPeriodEnd,
  useCardRegistration,
  usePayments,
  usePlans,
  useSubscription,
} from '../../api/billing.ts';
import { ErrorState, Loading, useErrorMessage } from '../../ui/states.tsx';
import { TestModeBanner } from './TestModeBanner.tsx';

const formatDate = (iso: string, lng: string) =>
  new Intl.DateTimeFormat(lng, { year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));

/** My subscription: plan, next charge, card, cancel/resume, card registration, payment history with receipts. */
export function SubscriptionPage() {
  const { t, i18n } = useTranslation('billing');
  const lng = i18n.language;
  const view = useSubscription();
  const plans = usePlans();
  const payments = usePayments();
  const cancel = useCancelAtPeriodEnd();
  const card = useCardRegistration();
  const errorMessage = useErrorMessage();
  if (view.isPending) return <Loading />;
  if (view.isError) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  const { tier, subscription: sub } = view.data;

  const registerCard = () =>
    card.mutate(undefined, {
      onSuccess: (reg) => {
        const href = cardRegistrationHref(reg, window.location.origin, lng);
        if (href) window.location.assign(href);
      },
    });

  return (
    <div className="page stack">
      <h1>{t('subscription.title')}</h1>
      {plans.data?.test_mode && <TestModeBanner />}
      <section className="card stack" aria-labelledby="current-plan">
        <h2 id="current-plan">{t('subscription.plan')}</h2>
        <p data-testid="current-tier">{t(`plan.${tier}`)}</p>
        {sub ? (
          <dl className="stack">
            <div>
              <dt>{t('subscription.status')}</dt>
              <dd>
                {t(`status.${sub.status}`)}
                {sub.cancel_at_period_end &&
                  ` · ${t('subscription.endsOn', { date: formatDate(sub.current_period_end, lng) })}`}
              </dd>
            </div>
            <div>
              <dt>{t('subscription.nextCharge')}</dt>
              <dd>
                {sub.next_charge
                  ? t('subscription.nextChargeValue', {
                      date: formatDate(sub.next_charge.at, lng),
                      amount: formatKrw(sub.next_charge.amount, lng),
                    })
                  : t('subscription.noNextCharge', { date: formatDate(sub.current_period_end, lng) })}
              </dd>
            </div>
            <div>
              <dt>{t('subscription.card')}</dt>
              <dd>
                {sub.payment_method?.last_4_digits
                  ? t('subscription.cardValue', { last4: sub.payment_method.last_4_digits })
                  : t('subscription.noCard')}
              </dd>
            </div>
          </dl>
        ) : (
          <p className="muted">{t('subscription.none')}</p>
        )}
        <div className="row" style={{ gap: 8, flexWrap: 'wrap' }}>
          <Link className="btn btn-secondary" to="/pricing">
            {t('subscription.changePlan')}
          </Link>
          {sub && sub.billing_cycle !== 'per_event' && (
            <button
              type="button"
              className="btn btn-secondary"
              disabled={card.isPending}
              onClick={registerCard}
            >
              {sub.payment_method ? t('card.replace') : t('card.register')}
            </button>
          )}
          {sub?.status === 'active' && (
            <button
              type="button"
              className="btn btn-secondary"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(!sub.cancel_at_period_end)}
            >
              {sub.cancel_at_period_end ? t('subscription.resume') : t('subscription.cancel')}
            </button>
          )}
        </div>
        {(cancel.isError || card.isError) && <p role="alert">{errorMessage(cancel.error ?? card.error)}</p>}
      </section>
      <section className="card stack" aria-labelledby="payment-history">
        <h2 id="payment-history">{t('subscription.history')}</h2>
        {payments.data && payments.data.length > 0 ? (
          <ul className="stack">
            {payments.data.map((p) => (
              <li key={p.id} className="row" style={{ justifyContent: 'space-between', gap: 8 }}>
                <span>
                  {formatDate(p.created_at, lng)} · {p.order_name} · {formatKrw(p.amount, lng)} ·{' '}
                  {t(`paymentStatus.${p.status}`)}
                </span>
                {p.receipt_url && (
                  <a href={p.receipt_url} target="_blank" rel="noreferrer">
                    {t('subscription.receipt')}
                  </a>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('subscription.noPayments')}</p>
        )}
      </section>
    </div>
  );
}
