// How a device is doing: its state, request and error counts, latency (median and 95th percentile),
// its last error in words, and for a serial bus how much of the bus the scans need, with a warning
// when the bus is over-booked.
import { useTranslation } from 'react-i18next';
import { useMessage } from '../../app/use-message.ts';
import { useNow } from '../../app/use-now.ts';
import { formatAgo } from '../../format/format-time.ts';
import { formatNumber } from '../../format/format-value.ts';
import { useDevicesStore } from '../../store/index.ts';
import { BusLoad } from './BusLoad.tsx';
import { stateMessage, timeoutShare } from './device-health.ts';
import './device-health.css';

export function DeviceHealth({ deviceId }: { deviceId: string }) {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const now = useNow();
  const device = useDevicesStore((state) => state.devices.find((candidate) => candidate.id === deviceId));
  if (!device) return null;
  const { status } = device;
  const ms = (value: number | null) => (value === null ? '—' : t('devices.latencyValue', { ms: formatNumber(value, value < 10 ? 1 : 0, i18n.language) }));
  const share = timeoutShare(status);
  const stats: [string, string, string][] = [
    ['requests', t('health.requests'), formatNumber(status.requests, 0, i18n.language)],
    ['timeouts', t('health.timeouts'), share === null || status.timeouts === 0 ? formatNumber(status.timeouts, 0, i18n.language) : `${formatNumber(status.timeouts, 0, i18n.language)} (${formatNumber(share * 100, 1, i18n.language)} %)`],
    ['exceptions', t('health.exceptions'), formatNumber(status.exceptions, 0, i18n.language)],
    ['median', t('health.latencyMedian'), ms(status.latencyMedianMs)],
    ['p95', t('health.latencyP95'), ms(status.latencyP95Ms)],
    ['lastGood', t('devices.lastGoodRead'), status.lastGoodReadAt === null ? t('devices.never') : formatAgo(status.lastGoodReadAt, now, i18n.language)],
  ];
  return (
    <div className="health" data-testid="device-health">
      <div className="health-state">
        <span className={`pill pill-${status.state === 'connected' ? 'good' : status.state === 'connecting' ? 'warn' : status.state === 'disabled' ? 'off' : 'bad'}`} data-testid="health-state">
          {say(stateMessage(status, now))}
        </span>
        <span className="muted">{t('health.since')}</span>
      </div>
      <dl className="health-stats">
        {stats.map(([id, label, value]) => (
          <div key={id} className="health-stat" data-testid={`health-${id}`}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <section className="health-section">
        <h3 className="form-section-title">{t('health.lastError')}</h3>
        {status.lastError ? (
          <p className="health-error" data-testid="health-last-error">
            {say(status.lastError)}
          </p>
        ) : (
          <p className="muted">{t('health.noError')}</p>
        )}
      </section>
      <BusLoad deviceId={deviceId} connection={device.connection} />
    </div>
  );
}
