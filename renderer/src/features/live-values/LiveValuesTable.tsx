// The selected device's points with their live value, unit, quality and time. Clicking a row adds it
// to the trend or takes it out; the swatch shows the colour of its line. A technician's way in sits in
// the title bar (commission the device, the audit log) and beside writable points (Write…).
import { useTranslation } from 'react-i18next';
import { useCommissioningStore, useDevicesStore } from '../../store/index.ts';
import { useTrendSelection } from '../trend/use-trend-selection.ts';
import { LiveValueRow } from './LiveValueRow.tsx';
import './live-values.css';

export function LiveValuesTable() {
  const { t } = useTranslation();
  const { deviceId, devicePoints, colors, toggle } = useTrendSelection();
  const deviceName = useDevicesStore((state) => state.devices.find((device) => device.id === deviceId)?.name);
  const { openDevice, setAuditOpen } = useCommissioningStore.getState();
  const anyWritable = devicePoints.some((point) => point.writable);
  return (
    <section className="panel live-values" aria-label={t('points.title')}>
      <h2 className="panel-title">
        {t('points.title')}
        {deviceName && <span className="panel-subtitle">{deviceName}</span>}
        <span className="panel-actions">
          {deviceId !== null && (
            <button type="button" className="btn btn-small" onClick={() => openDevice(deviceId)} data-testid="commission-device">
              {t('commission.open')}
            </button>
          )}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setAuditOpen(true)} data-testid="audit-open">
            {t('audit.open')}
          </button>
        </span>
      </h2>
      {deviceId === null ? (
        <p className="muted panel-empty">{t('points.selectDevice')}</p>
      ) : devicePoints.length === 0 ? (
        <p className="muted panel-empty">{t('points.empty')}</p>
      ) : (
        <div className="live-values-scroll">
          <table className="live-values-table">
            <colgroup>
              <col className="col-trend" />
              <col className="col-name" />
              <col className="col-value" />
              <col className="col-unit" />
              <col className="col-quality" />
              <col className="col-time" />
              {anyWritable && <col className="col-write" />}
            </colgroup>
            <thead>
              <tr>
                <th className="col-trend" scope="col">
                  <span className="visually-hidden">{t('points.inTrend')}</span>
                </th>
                <th className="col-name" scope="col">{t('points.name')}</th>
                <th className="col-value" scope="col">{t('points.value')}</th>
                <th scope="col">{t('points.unit')}</th>
                <th scope="col">{t('points.quality')}</th>
                <th className="col-time" scope="col">{t('points.updated')}</th>
                {anyWritable && (
                  <th className="col-write" scope="col">
                    <span className="visually-hidden">{t('write.title')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {devicePoints.map((point) => (
                <LiveValueRow key={point.id} point={point} color={colors.get(point.id) ?? null} onToggle={toggle} writeColumn={anyWritable} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
