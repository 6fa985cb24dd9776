// The left column: every device with its state, address, last good read and latency. Click selects;
// "Add device" opens the commissioning workspace for a new one.
import { useTranslation } from 'react-i18next';
import { useCommissioningStore, useDevicesStore } from '../../store/index.ts';
import { DeviceItem } from './DeviceItem.tsx';
import './devices.css';

export function DeviceList() {
  const { t } = useTranslation();
  const devices = useDevicesStore((state) => state.devices);
  const selectedDeviceId = useDevicesStore((state) => state.selectedDeviceId);
  const select = useDevicesStore((state) => state.select);
  const openNew = useCommissioningStore((state) => state.openNew);
  return (
    <nav className="device-list" aria-label={t('devices.title')}>
      <h2 className="panel-title">
        {t('devices.title')}
        <span className="panel-actions">
          <button type="button" className="btn btn-small" onClick={openNew} data-testid="add-device">
            + {t('devices.add')}
          </button>
        </span>
      </h2>
      {devices.length === 0 ? (
        <p className="muted device-list-empty">{t('devices.empty')}</p>
      ) : (
        <ul>
          {devices.map((device) => (
            <li key={device.id}>
              <DeviceItem device={device} selected={device.id === selectedDeviceId} onSelect={select} />
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
