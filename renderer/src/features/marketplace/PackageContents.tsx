// What a template brings, read from its manifest after a download: devices, points, KPIs, dashboards,
// alarm rules…, the settings it asks for, and what it is allowed to do.
import { useTranslation } from 'react-i18next';
import { CONTENT_KINDS } from '../../../../shared/cloud/manifest.ts';
import type { PackageInspection } from '../../../../shared/contract/market-calls.ts';
import { formatBytes } from '../../format/format-bytes.ts';

export function PackageContents({ inspection }: { inspection: PackageInspection }) {
  const { t } = useTranslation();
  const { manifest } = inspection;
  const kinds = CONTENT_KINDS.filter((kind) => (manifest.contents[kind]?.length ?? 0) > 0);
  return (
    <div className="market-contents" data-testid="market-contents">
      {kinds.length === 0 ? (
        <p className="muted">{t('store.contents.nothing')}</p>
      ) : (
        <ul className="market-content-list">
          {kinds.map((kind) => (
            <li key={kind}>
              <strong>{manifest.contents[kind]!.length}</strong> {t(`store.contents.${kind}`)}
            </li>
          ))}
        </ul>
      )}
      <p className="muted">
        {t('store.contents.package', { version: manifest.version, size: formatBytes(inspection.size), files: inspection.files.length, parameters: manifest.parameters.length })}
      </p>
      {manifest.permissions.length > 0 && (
        <p>
          {t('store.contents.permissions')} {manifest.permissions.map((permission) => t(`store.permission.${permission}`)).join(t('store.listSeparator'))}
        </p>
      )}
    </div>
  );
}
