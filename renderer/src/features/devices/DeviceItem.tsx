// One device in the list: name and state pill, address, last good read and latency, when a
// quarantined device is tried again, and the last error in the user's language.
import { useTranslation } from 'react-i18next';
import type { DeviceView } from '../../../../shared/contract/calls.ts';
import type { DeviceState } from '../../../../shared/domain/devices.ts';
import { useMessage } from '../../app/use-message.ts';
import { useNow } from '../../app/use-now.ts';
import { formatAgo } from '../../format/format-time.ts';
import { formatNumber } from '../../format/format-value.ts';
import { stateMessage } from '../device-health/index.ts';
import { deviceAddress } from './device-address.ts';

const PILL_TONE: Record<DeviceState, string> = {
  connected: 'good',
  connecting: 'warn',
  disconnected: 'bad',
  error: 'bad',
  // Left alone for a while after repeated timeouts: no data is coming, so it reads as a fault.
  quarantined: 'bad',
  disabled: 'off',
};

export function DeviceItem({ device, selected, onSelect }: { device: DeviceView; selected: boolean; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const now = useNow();
  const { status } = device;
  const address = deviceAddress(device.connection);
  const lastError = status.lastError;
  return (
    <button
      type="button"
      className={`device-item${selected ? ' is-selected' : ''}`}
      aria-current={selected ? 'true' : undefined}
      data-testid={`device-${device.id}`}
      data-state={status.state}
      onClick={() => onSelect(device.id)}
    >
      <span className="device-head">
        <span className="device-name">{device.name}</span>
        <span className={`pill pill-${PILL_TONE[status.state]}`}>{t(`devices.state.${status.state}`)}</span>
      </span>
      <span className="device-address">
        <span className="mono">
          {address.baudRate === undefined
            ? address.address
            : t('devices.serialAddress', { path: address.address, baudRate: address.baudRate })}
        </span>
        <span className="device-kind">{t(`devices.kind.${address.kind}`)}</span>
      </span>
      <span className="device-stats">
        <span>
          <span className="device-stat-label">{t('devices.lastGoodRead')}</span>{' '}
          {status.lastGoodReadAt === null ? t('devices.never') : formatAgo(status.lastGoodReadAt, now, i18n.language)}
        </span>
        {status.latencyMedianMs !== null && (
          <span>
            <span className="device-stat-label">{t('devices.latency')}</span>{' '}
            {t('devices.latencyValue', { ms: formatNumber(status.latencyMedianMs, status.latencyMedianMs < 10 ? 1 : 0, i18n.language) })}
          </span>
        )}
      </span>
      {status.state === 'quarantined' && status.quarantinedUntil !== null && (
        <span className="device-quarantine" data-testid={`device-quarantine-${device.id}`}>
          {say(stateMessage(status, now))}
        </span>
      )}
      {lastError && (
        <span className="device-error" data-testid={`device-error-${device.id}`}>
          {say(lastError)}
        </span>
      )}
    </button>
  );
}
