// The Alarms page: the active list (acknowledge one or all, shelve), the history with filters, the
// rules (engineers edit them) and the group robots alarms are sent to (administrators).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActiveAlarms } from './ActiveAlarms.tsx';
import { AlarmHistory } from './AlarmHistory.tsx';
import { AlarmRules } from './AlarmRules.tsx';
import { needsAcknowledgement } from './alarm-list.ts';
import { useAlarmsStore } from './alarms-store.ts';
import { NotificationSettings } from './NotificationSettings.tsx';
import './alarms.css';

const TABS = ['active', 'history', 'rules', 'notifications'] as const;
type Tab = (typeof TABS)[number];

export function AlarmsPage() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('active');
  const alarms = useAlarmsStore((state) => state.alarms);
  const waiting = alarms.filter(needsAcknowledgement).length;
  return (
    <div className="alarms-page" data-testid="alarms-page">
      <section className="panel alarms-panel" aria-label={t('alarms.title')}>
        <div className="tabs alarms-tabs" role="tablist">
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              className="tab"
              aria-selected={tab === name}
              onClick={() => setTab(name)}
              data-testid={`alarms-tab-${name}`}
            >
              {t(`alarms.tab.${name}`)}
              {name === 'active' && alarms.length > 0 && (
                <span className={`tab-count${waiting > 0 ? ' tab-count-alert' : ''}`}>{alarms.length}</span>
              )}
            </button>
          ))}
        </div>
        <div className="alarms-body" role="tabpanel">
          {tab === 'active' && <ActiveAlarms />}
          {tab === 'history' && <AlarmHistory />}
          {tab === 'rules' && <AlarmRules />}
          {tab === 'notifications' && <NotificationSettings />}
        </div>
      </section>
    </div>
  );
}
