// The top bar: what app this is, whether it shows the demo plant, the language and the live link.
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/index.ts';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import './header.css';

export function Header() {
  const { t } = useTranslation();
  const demo = useAppStore((state) => state.info?.demo ?? false);
  return (
    <header className="header">
      <div className="header-brand">
        <span className="header-logo" aria-hidden="true" />
        <span className="header-title">{t('app.title')}</span>
        <span className="header-tagline">{t('app.tagline')}</span>
        {demo && <span className="header-demo" data-testid="demo-badge">{t('app.demoBadge')}</span>}
      </div>
      <div className="header-tools">
        <ConnectionIndicator />
        <LanguageSwitch />
      </div>
    </header>
  );
}
