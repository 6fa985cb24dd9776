// Ordering a plan: what it costs and what happens (a trial starts, a subscription is invoiced, usage
// or results are billed monthly), confirmed before marketplace.order; then what the cloud answered —
// for a bank transfer, the invoice and how to pay it — and the licence this PC now has.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PricePlan } from '../../../../shared/cloud/catalogue.ts';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useAppStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { formatFen, formatShare, formatUnitPrice, localised, meteredName, meteredUnit, planPriceLine, subscriptionPeriods, type PlanTranslate, type UnitsById } from './money.ts';
import { formatDay } from './market-text.ts';

type OrderResult = CallOutput<'marketplace.order'>;

interface OrderDialogProps {
  templateId: string;
  templateName: string;
  plan: PricePlan;
  units: UnitsById;
  /** The manifest's words on how results are measured, when known. */
  outcomeMethod: string | null;
  onClose(): void;
  onOrdered(result: OrderResult): void;
}

export function OrderDialog({ templateId, templateName, plan, units, outcomeMethod, onClose, onOrdered }: OrderDialogProps) {
  const { t, i18n } = useTranslation();
  const tt = t as unknown as PlanTranslate;
  const demo = useAppStore((state) => state.info?.demo ?? false);
  const periods = subscriptionPeriods(plan);
  const [period, setPeriod] = useState<'monthly' | 'yearly'>(periods[0] ?? 'monthly');
  const [paymentMethod, setPaymentMethod] = useState<'bank_transfer' | 'test'>('bank_transfer');
  // Every try of one order in this dialog carries the same id, so a lost answer never places it twice.
  const [dialogId] = useState(() => crypto.randomUUID().replace(/-/g, ''));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [result, setResult] = useState<OrderResult | null>(null);

  async function order(): Promise<void> {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await bridge.call('marketplace.order', {
        templateId,
        planId: plan.id,
        ...(plan.kind === 'subscription' ? { period, paymentMethod } : {}),
        requestId: plan.kind === 'subscription' ? `${dialogId}-${period}-${paymentMethod}` : dialogId,
      });
      setResult(answer);
      onOrdered(answer);
    } catch (error) {
      setProblem(callErrorMessage(error, t('store.order.failed')));
    } finally {
      setBusy(false);
    }
  }

  const action = t(`store.order.action.${plan.kind}`);
  return (
    <Dialog
      title={result ? t('store.order.doneTitle') : action}
      subtitle={`${templateName} · ${localised(plan.name, i18n.language)}`}
      size="medium"
      onClose={onClose}
      testId="order-dialog"
      footer={
        result ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="order-close">
            {t('common.close')}
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void order()} disabled={busy} data-testid="order-confirm">
              {busy && <span className="spinner spinner-small" aria-hidden="true" />}
              {action}
            </button>
          </>
        )
      }
    >
      {result ? (
        <OrderOutcome result={result} />
      ) : (
        <div className="market-order">
          <p className="market-order-price">{planPriceLine(plan, tt, units)}</p>
          {plan.kind === 'trial' && <p>{t('store.order.trialExplain', { days: plan.days })}</p>}
          {plan.kind === 'subscription' && (
            <>
              <fieldset className="market-choice">
                <legend>{t('store.order.period')}</legend>
                {periods.map((choice) => (
                  <label key={choice} className="check">
                    <input type="radio" name="period" checked={period === choice} onChange={() => setPeriod(choice)} />
                    {t(`store.order.period.${choice}`, { amount: formatFen((choice === 'monthly' ? plan.monthly : plan.yearly) ?? 0) })}
                  </label>
                ))}
              </fieldset>
              <fieldset className="market-choice">
                <legend>{t('store.order.payment')}</legend>
                <label className="check">
                  <input type="radio" name="payment" checked={paymentMethod === 'bank_transfer'} onChange={() => setPaymentMethod('bank_transfer')} />
                  {t('store.order.payment.bank_transfer')}
                </label>
                {demo && (
                  <label className="check">
                    <input type="radio" name="payment" checked={paymentMethod === 'test'} onChange={() => setPaymentMethod('test')} />
                    {t('store.order.payment.test')}
                  </label>
                )}
              </fieldset>
              <p className="muted">{t('store.order.subscriptionExplain')}</p>
            </>
          )}
          {plan.kind === 'pay_after_use' && (
            <p>
              {t('store.order.payAfterUseExplain', {
                price: formatUnitPrice(plan.unitPrice, meteredUnit('meter', plan.meter, units, tt), tt),
                limit: formatFen(plan.creditLimit),
              })}
            </p>
          )}
          {plan.kind === 'pay_for_results' && (
            <>
              <p>{t('store.order.payForResultsExplain', { share: formatShare(plan.shareBasisPoints), metric: meteredName('metric', plan.metric, tt) })}</p>
              {outcomeMethod && <p className="muted">{outcomeMethod}</p>}
            </>
          )}
          {problem && <Notice tone="bad" testId="order-problem">{problem}</Notice>}
        </div>
      )}
    </Dialog>
  );
}

/** What the cloud answered: the entitlement, the invoice and how to pay it, the licence now. */
function OrderOutcome({ result }: { result: OrderResult }) {
  const { t, i18n } = useTranslation();
  const { entitlement, invoice, licence } = result;
  return (
    <div className="market-order" data-testid="order-outcome">
      <Notice tone={entitlement.status === 'active' ? 'good' : 'info'}>
        {entitlement.status === 'pending_payment' ? t('store.order.pendingPayment') : t('store.order.active')}
        {entitlement.validUntil !== null && ` ${t('store.order.validUntil', { date: formatDay(entitlement.validUntil, i18n.language) })}`}
      </Notice>
      {invoice && (
        <div className="market-invoice" data-testid="order-invoice">
          <h3>{t('store.order.invoice', { number: invoice.number, total: formatFen(invoice.total) })}</h3>
          {Object.keys(invoice.paymentInstructions).length > 0 && (
            <>
              <p>{t('store.order.payAsFollows')}</p>
              <dl className="market-facts">
                {Object.entries(invoice.paymentInstructions).map(([label, value]) => (
                  <div key={label}>
                    <dt>{label}</dt>
                    <dd className="mono">{value}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </div>
      )}
      {licence && <p>{licence.message}</p>}
    </div>
  );
}
