// The banner under the header, on every page, while a template's licence is in its grace period
// (with the days left), locked (the core's sentence: why, and what to do), or the PC's clock is set
// back — with the way to Settings → Cloud and licences. Collection, alarms and history never stop.
import { useTranslation } from 'react-i18next';
import { localised } from '../marketplace/index.ts';
import { openCloudSettings, useCloudStore } from '../cloud-settings/index.ts';
import { bannerLines } from './banner-lines.ts';
import '../errors/errors.css';
import './licence-banner.css';

export function LicenceBanner() {
  const { t, i18n } = useTranslation();
  const licences = useCloudStore((state) => state.licences);
  const status = useCloudStore((state) => state.status);
  const names = useCloudStore((state) => state.templateNames);
  const lines = bannerLines(licences, status);
  if (lines.length === 0) return null;
  const name = (templateId: string) => (names[templateId] ? localised(names[templateId]!, i18n.language) : templateId);
  return (
    <div className="banners" data-testid="licence-banner">
      {lines.map((line) => (
        <div
          key={line.kind === 'clock' ? 'clock' : `${line.kind}-${line.templateId}`}
          className={`banner ${line.kind === 'locked' ? 'banner-error' : 'banner-warning'}`}
          role={line.kind === 'locked' ? 'alert' : 'status'}
          data-kind={line.kind}
        >
          <span className="banner-icon" aria-hidden="true">
            !
          </span>
          <span className="banner-message">
            {line.kind === 'locked' && <strong>{t('store.banner.locked', { name: name(line.templateId) })} </strong>}
            {line.kind === 'grace' && (
              <strong>
                {line.daysLeft === null ? t('store.banner.grace', { name: name(line.templateId) }) : t('store.banner.graceDays', { name: name(line.templateId), days: line.daysLeft })}{' '}
              </strong>
            )}
            {line.kind === 'credit' && <strong>{t('store.banner.credit', { name: name(line.templateId) })} </strong>}
            {line.kind === 'clock' && <strong>{t('store.banner.clock')} </strong>}
            {line.message}
          </span>
          <button type="button" className={`btn btn-small ${line.kind === 'locked' ? 'btn-danger' : ''} licence-banner-action`} onClick={openCloudSettings}>
            {t('store.banner.open')}
          </button>
        </div>
      ))}
    </div>
  );
}
