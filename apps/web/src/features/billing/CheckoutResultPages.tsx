import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useConfirm, useRegisterCard } from '../../api/billing.ts';
import { ErrorState, Loading } from '../../ui/states.tsx';

/** Toss's success redirect: confirms the payment once (a reload answers the same) and shows the new plan. */
export function PaymentSuccessPage() {
  const { t } = useTranslation('billing');
  const [params] = useSearchParams();
  const confirm = useConfirm();
  const sent = useRef(false);
  const paymentKey = params.get('paymentKey') ?? '';
  const orderId = params.get('orderId') ?? '';
  const amount = Number(params.get('amount'));
  useEffect(() => {
    if (sent.current || !paymentKey || !orderId) return;
    sent.current = true;
    confirm.mutate({ paymentKey, orderId, amount });
  }, [confirm, paymentKey, orderId, amount]);

  if (confirm.isError) return <ErrorState error={confirm.error} />;
  if (!confirm.data) return <Loading />;
  const sub = confirm.data.subscription;
  return (
    <div className="page stack" data-testid="payment-success">
      <h1>{t('success.title')}</h1>
      <p>{t('success.body', { plan: t(`plan.${sub.plan.tier}`) })}</p>
      {confirm.data.payment.receipt_url && (
        <a href={confirm.data.payment.receipt_url} target="_blank" rel="noreferrer">
          {t('subscription.receipt')}
        </a>
      )}
      <Link className="btn btn-primary" to="/settings/subscription">
        {t('success.manage')}
      </Link>
    </div>
  );
}

/** Toss's fail redirect: the reason in the reader's language (a sentence per known Toss code, else Toss's own). */
export function PaymentFailPage() {
  const { t } = useTranslation('billing');
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const message = params.get('message') ?? '';
  const text = t(`tossError.${code}`, { defaultValue: message || t('fail.unknown') });
  return (
    <div className="page stack" data-testid="payment-fail">
      <h1>{t('fail.title')}</h1>
      <p role="alert">{text}</p>
      <Link className="btn btn-primary" to="/pricing">
        {t('fail.retry')}
      </Link>
    </div>
  );
}

/** Toss's card-registration redirect: issues the billing key for automatic renewal. */
export function CardRegisteredPage() {
  const { t } = useTranslation('billing');
  const [params] = useSearchParams();
  const register = useRegisterCard();
  const sent = useRef(false);
  const authKey = params.get('authKey') ?? '';
  const customerKey = params.get('customerKey') ?? '';
  useEffect(() => {
    if (sent.current || !authKey || !customerKey) return;
    sent.current = true;
    register.mutate({ authKey, customerKey });
  }, [register, authKey, customerKey]);
  if (register.isError) return <ErrorState error={register.error} />;
  if (!register.isSuccess) return <Loading />;
  return (
    <div className="page stack">
      <h1>{t('card.registered')}</h1>
      <Link className="btn btn-primary" to="/settings/subscription">
        {t('success.manage')}
      </Link>
    </div>
  );
}
