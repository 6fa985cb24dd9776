// A dot and a word for the live link to the core: green "Live", amber "Connecting…", red "Offline".
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/index.ts';

export function ConnectionIndicator() {
  const { t } = useTranslation();
  const state = useAppStore((app) => app.connection);
  return (
    <span className={`connection connection-${state}`} title={t('connection.title')} data-testid="connection" data-state={state}>
      <span className="connection-dot" aria-hidden="true" />
      {t(`connection.${state}`)}
    </span>
  );
}
