// Settings, opened from the header (and from the storage banner): for now one section, Storage.
import { useTranslation } from 'react-i18next';
import { useSettingsStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { StoragePanel } from '../storage/index.ts';

export function SettingsDialog() {
  const open = useSettingsStore((state) => state.settingsOpen);
  return open ? <Settings /> : null;
}

function Settings() {
  const { t } = useTranslation();
  const setOpen = useSettingsStore((state) => state.setSettingsOpen);
  return (
    <Dialog
      title={t('settings.title')}
      size="medium"
      onClose={() => setOpen(false)}
      testId="settings"
      footer={
        <button type="button" className="btn btn-primary" onClick={() => setOpen(false)}>
          {t('common.close')}
        </button>
      }
    >
      <StoragePanel />
    </Dialog>
  );
}
