// The link a device is polled over (devices.links, asked every few seconds while shown): queue length,
// and for a serial bus the share of its time the scans need, with a warning when over-booked.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkView } from '../../../../shared/contract/device-calls.ts';
import { BUS_WARNING_UTILISATION } from '../../../../shared/domain/bus-load.ts';
import type { Connection } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { Notice } from '../../ui/Notice.tsx';
import { linkOfDevice, percent } from './device-health.ts';

const POLL_MS = 2000;

export function BusLoad({ deviceId, connection }: { deviceId: string; connection: Connection }) {
  const { t } = useTranslation();
  const [link, setLink] = useState<LinkView | null | undefined>(undefined);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const links = await bridge.call('devices.links', {});
        if (!stopped) setLink(linkOfDevice(links, deviceId) ?? null);
      } catch {
        // the health panel shows what it has; the banner of the live link says why calls fail
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [deviceId]);
  if (link === undefined) return null;
  const shared = link ? link.deviceIds.length - 1 : 0;
  return (
    <section className="health-section" data-testid="health-link">
      <h3 className="form-section-title">{t('health.link')}</h3>
      {link === null ? (
        <p className="muted">{t('health.notPolled')}</p>
      ) : (
        <>
          <p>
            <span className="mono">{link.address}</span> · {t(`devices.kind.${link.kind}`)} · {t('health.queue', { count: link.queueLength })}
            {shared > 0 && <> · {t('health.sharedWith', { count: shared })}</>}
          </p>
          {link.busUtilisation !== null && connection.kind === 'rtu' && (
            <div className="bus-load" data-testid="bus-load">
              <div className="bus-load-head">
                <span>{t('health.busLoad', { percent: percent(link.busUtilisation), baud: connection.baudRate })}</span>
              </div>
              <div className="progress">
                <div
                  className={`progress-bar${link.busOverbooked ? ' is-over' : link.busUtilisation > BUS_WARNING_UTILISATION * 0.75 ? ' is-high' : ''}`}
                  style={{ width: `${Math.min(100, percent(link.busUtilisation))}%` }}
                />
              </div>
              {link.busOverbooked && (
                <Notice tone="warn" testId="bus-overbooked">
                  {t('health.busOverbooked', { percent: percent(link.busUtilisation), baud: connection.baudRate })}
                </Notice>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
