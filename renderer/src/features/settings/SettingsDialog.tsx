// Settings, opened from the header (and from the storage banner): Storage, Production (the shift
// calendar, machines and tariff of the KPI engine), and Cloud and licences (opened too from the sync
// indicator and the licence banner).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSettingsStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { clearRequestedSection, CloudPanel, requestedSection } from '../cloud-settings/index.ts';
import { ProductionPanel } from '../kpi-settings/index.ts';
import { StoragePanel } from '../storage/index.ts';

const SECTIONS = ['storage', 'production', 'cloud'] as const;
type Section = (typeof SECTIONS)[number];

export function SettingsDialog() {
  const open = useSettingsStore((state) => state.settingsOpen);
  return open ? <Settings /> : null;
}

function Settings() {
  const { t } = useTranslation();
  const setOpen = useSettingsStore((state) => state.setSettingsOpen);
  const [section, setSection] = useState<Section>(() => requestedSection() ?? 'storage');
  useEffect(() => clearRequestedSection(), []);
  return (
    <Dialog
      title={t('settings.title')}
      size={section === 'storage' ? 'medium' : 'large'}
      onClose={() => setOpen(false)}
      testId="settings"
      footer={
        <button type="button" className="btn btn-primary" onClick={() => setOpen(false)}>
          {t('common.close')}
        </button>
      }
    >
      <div className="tabs settings-tabs" role="tablist">
        {SECTIONS.map((name) => (
          <button key={name} type="button" role="tab" className="tab" aria-selected={section === name} onClick={() => setSection(name)} data-testid={`settings-tab-${name}`}>
            {name === 'cloud' ? t('store.settingsSection') : t(`settings.section.${name}`)}
          </button>
        ))}
      </div>
      {section === 'storage' ? <StoragePanel /> : section === 'production' ? <ProductionPanel /> : <CloudPanel />}
    </Dialog>
  );
}
