// The red banner under the header while the database is unavailable: the core's sentence (what is
// wrong and what to do) and the way to Settings → Storage. It stays until the file is usable again.
import { useTranslation } from 'react-i18next';
import { useSettingsStore } from '../../store/index.ts';
import '../errors/errors.css';
import './storage.css';

export function StorageBanner() {
  const { t } = useTranslation();
  const status = useSettingsStore((state) => state.storage);
  const open = useSettingsStore((state) => state.setSettingsOpen);
  if (!status || status.state !== 'unavailable') return null;
  return (
    <div className="banners">
      <div className="banner banner-error" role="alert" data-testid="storage-banner">
        <span className="banner-icon" aria-hidden="true">!</span>
        <span className="banner-message">{status.problem ?? t('storage.state.unavailable')}</span>
        <button type="button" className="btn btn-small btn-danger storage-banner-action" onClick={() => open(true)} data-testid="storage-banner-open">
          {t('storage.openSettings')}
        </button>
      </div>
    </div>
  );
}
