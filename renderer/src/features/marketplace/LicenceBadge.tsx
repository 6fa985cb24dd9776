// A template's licence as a coloured word (Trial, Active, Grace period, Locked…) with the core's
// sentence as its tooltip; the sentence itself is shown where there is room for it.
import { useTranslation } from 'react-i18next';
import type { LicenceStateName, TemplateLicence } from '../../../../shared/contract/licence-calls.ts';

const TONE: Record<LicenceStateName, 'good' | 'warn' | 'bad' | 'off'> = {
  trial: 'good',
  active: 'good',
  renewSoon: 'warn',
  grace: 'warn',
  locked: 'bad',
  invalid: 'bad',
  none: 'off',
};

export function LicenceBadge({ licence }: { licence: TemplateLicence }) {
  const { t } = useTranslation();
  const days = licence.daysLeft !== null && ['trial', 'grace', 'renewSoon'].includes(licence.state) ? ` · ${t('store.daysLeft', { days: licence.daysLeft })}` : '';
  return (
    <span className={`pill pill-${TONE[licence.state]}`} title={licence.message} data-testid="licence-badge" data-state={licence.state}>
      {t(`store.licence.state.${licence.state}`)}
      {days}
    </span>
  );
}
