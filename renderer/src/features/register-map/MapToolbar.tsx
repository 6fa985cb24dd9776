// Above the register map: the address style, add a point, read now, import and export.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ADDRESS_STYLES, type AddressStyle } from '../../../../shared/domain/address.ts';
import { bridge } from '../../api/index.ts';
import { reportError } from '../../app/report-error.ts';
import { saveFile } from './save-file.ts';

interface MapToolbarProps {
  style: AddressStyle;
  onStyleChange(style: AddressStyle): void;
  onAdd(): void;
  onReadNow(): void;
  reading: boolean;
  onImport(): void;
  savedDeviceId: string | null;
  dirty: boolean;
  pointCount: number;
  problemCount: number;
}

export function MapToolbar(props: MapToolbarProps) {
  const { t } = useTranslation();
  const [exporting, setExporting] = useState(false);
  const exportMap = async (format: 'csv' | 'xlsx') => {
    if (!props.savedDeviceId) return;
    setExporting(true);
    try {
      const file = await bridge.call('points.exportMap', { deviceId: props.savedDeviceId, format, addressStyle: props.style });
      saveFile(file.fileName, file.mimeType, file.contentBase64);
    } catch (error) {
      reportError(error);
    } finally {
      setExporting(false);
    }
  };
  const fileHint = !props.savedDeviceId ? t('mapEditor.saveBeforeImport') : props.dirty ? t('mapEditor.exportSavedOnly') : undefined;
  return (
    <div className="map-toolbar">
      <label className="map-style">
        <span className="field-label">{t('mapEditor.addressStyle')}</span>
        <select className="select" value={props.style} onChange={(event) => props.onStyleChange(event.target.value as AddressStyle)} data-testid="address-style">
          {ADDRESS_STYLES.map((style) => (
            <option key={style} value={style}>
              {t(`mapEditor.style.${style}`)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn" onClick={props.onAdd} data-testid="map-add">
        + {t('mapEditor.add')}
      </button>
      <button type="button" className="btn btn-primary" onClick={props.onReadNow} disabled={props.reading} data-testid="read-now">
        {props.reading && <span className="spinner spinner-small" aria-hidden="true" />}
        {t(props.reading ? 'mapEditor.reading' : 'mapEditor.readNow')}
      </button>
      <span className="map-summary" data-testid="map-summary">
        {t('mapEditor.count', { count: props.pointCount })}
        {props.problemCount > 0 && <span className="map-summary-problems">{t('mapEditor.problemCount', { count: props.problemCount })}</span>}
      </span>
      <span className="spacer" />
      <button type="button" className="btn" onClick={props.onImport} disabled={!props.savedDeviceId} title={fileHint} data-testid="import-open">
        {t('mapEditor.import')}
      </button>
      <button type="button" className="btn" onClick={() => void exportMap('csv')} disabled={!props.savedDeviceId || exporting} title={fileHint} data-testid="export-csv">
        {t('mapEditor.exportCsv')}
      </button>
      <button type="button" className="btn" onClick={() => void exportMap('xlsx')} disabled={!props.savedDeviceId || exporting} title={fileHint} data-testid="export-xlsx">
        {t('mapEditor.exportXlsx')}
      </button>
    </div>
  );
}
