// PlantDesk's screens: the Overview (dashboards; the start page), the live view (devices on the left,
// the selected device's live values and trend on the right), Trends (history of any points), Alarms
// and the Marketplace, switched in the header. The technician's
// windows (commissioning, write, audit log) open over either.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { AlarmsPage } from '../features/alarms/index.ts';
import { AuditLogDialog } from '../features/audit-log/index.ts';
import { startCloudFeed } from '../features/cloud-settings/index.ts';
import { CommissioningDialog } from '../features/commissioning/index.ts';
import { OverviewPage } from '../features/dashboard/index.ts';
import { DeviceList } from '../features/devices/index.ts';
import { ErrorBanners } from '../features/errors/index.ts';
import { Header } from '../features/header/index.ts';
import { LicenceBanner } from '../features/licence-banner/index.ts';
import { MarketplacePage } from '../features/marketplace/index.ts';
import { SettingsDialog } from '../features/settings/index.ts';
import { StorageBanner } from '../features/storage/index.ts';
import { LiveValuesTable } from '../features/live-values/index.ts';
import { WritePointDialog } from '../features/point-write/index.ts';
import { TrendPanel, TrendsPage } from '../features/trend/index.ts';
import { useAppStore } from '../store/index.ts';
import { startLiveData } from './live-data.ts';
import { usePage } from './navigation.ts';

export function App() {
  const { t } = useTranslation();
  const loaded = useAppStore((state) => state.loaded);
  const offline = useAppStore((state) => state.connection === 'closed');
  const page = usePage();
  useEffect(() => startLiveData(), []);
  useEffect(() => startCloudFeed(), []);
  return (
    <div className="app">
      <Header />
      <StorageBanner />
      <LicenceBanner />
      <ErrorBanners />
      {loaded ? (
        <main className={`app-main${page === 'trends' ? ' is-trends' : ''}${page === 'alarms' ? ' is-alarms' : ''}${page === 'overview' ? ' is-overview' : ''}${page === 'marketplace' ? ' is-marketplace' : ''}${offline ? ' is-offline' : ''}`}>
          {page === 'overview' ? (
            <OverviewPage />
          ) : page === 'trends' ? (
            <TrendsPage />
          ) : page === 'alarms' ? (
            <AlarmsPage />
          ) : page === 'marketplace' ? (
            <MarketplacePage />
          ) : (
            <>
              <aside className="app-side">
                <DeviceList />
              </aside>
              <div className="app-content">
                <LiveValuesTable />
                <TrendPanel />
              </div>
            </>
          )}
          <CommissioningDialog />
          <WritePointDialog />
          <AuditLogDialog />
        </main>
      ) : (
        <main className="app-loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          {t('app.connecting')}
        </main>
      )}
      <SettingsDialog />
    </div>
  );
}
