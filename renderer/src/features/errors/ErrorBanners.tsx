// Banners under the header: "connection lost" while the live link is down, and each failed call's
// message (already in the user's language) until the user dismisses it.
import { useTranslation } from 'react-i18next';
import { useAppStore, useErrorsStore } from '../../store/index.ts';
import './errors.css';

export function ErrorBanners() {
  const { t } = useTranslation();
  const connectionLost = useAppStore((state) => state.connection === 'closed');
  const banners = useErrorsStore((state) => state.banners);
  const dismiss = useErrorsStore((state) => state.dismiss);
  if (!connectionLost && banners.length === 0) return null;
  return (
    <div className="banners">
      {connectionLost && (
        <div className="banner banner-warning" role="status" data-testid="connection-lost">
          <span className="banner-icon" aria-hidden="true">!</span>
          <span className="banner-message">{t('app.connectionLost')}</span>
        </div>
      )}
      {banners.map((banner) => (
        <div key={banner.id} className="banner banner-error" role="alert" data-testid="error-banner">
          <span className="banner-icon" aria-hidden="true">!</span>
          <span className="banner-message">
            {banner.message}
            {banner.count > 1 && <span className="banner-count">×{banner.count}</span>}
          </span>
          <button type="button" className="banner-dismiss" onClick={() => dismiss(banner.id)} aria-label={t('app.dismiss')} title={t('app.dismiss')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
