// The top bar: what app this is, whether it shows the demo plant, the page switch (live view, Trends,
// Alarms, Marketplace), the alarms waiting for acknowledgement, the live link, the sync with the cloud,
// the language, the theme and Settings.
import { useTranslation } from 'react-i18next';
import { useAppStore, useSettingsStore } from '../../store/index.ts';
import { AlarmBadge } from '../alarms/index.ts';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { SyncIndicator } from './SyncIndicator.tsx';
import { SettingsIcon } from '../../ui/icons.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PageNav } from './PageNav.tsx';
import { ThemeSwitch } from './ThemeSwitch.tsx';
import './header.css';

export function Header() {
  const { t } = useTranslation();
  const demo = useAppStore((state) => state.info?.demo ?? false);
  const openSettings = useSettingsStore((state) => state.setSettingsOpen);
  return (
    <header className="header">
      <div className="header-brand">
        <span className="header-logo" aria-hidden="true" />
        <span className="header-title">{t('app.title')}</span>
        <span className="header-tagline">{t('app.tagline')}</span>
        {demo && <span className="header-demo" data-testid="demo-badge">{t('app.demoBadge')}</span>}
        <PageNav />
      </div>
      <div className="header-tools">
        <AlarmBadge />
        <ConnectionIndicator />
        <SyncIndicator />
        <LanguageSwitch />
        <ThemeSwitch />
        <button type="button" className="btn btn-small header-settings" onClick={() => openSettings(true)} data-testid="settings-open">
          <SettingsIcon />
          {t('settings.title')}
        </button>
      </div>
    </header>
  );
}
