// The raw Modbus frames of a device, as Modbus Poll's traffic window shows them: time with ms,
// TX or RX, and the bytes in hex, newest at the bottom. Asked for every second while open (asking
// is what keeps the core recording); Pause freezes the table, Clear empties it here only.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TrafficFrame } from '../../../../shared/contract/device-calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { Notice } from '../../ui/Notice.tsx';
import { formatClockMs, framesAfter, isAtBottom, mergeFrames } from './traffic-frames.ts';
import './traffic.css';

const POLL_MS = 1000;

export function TrafficView({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation();
  const [frames, setFrames] = useState<TrafficFrame[]>([]);
  const [paused, setPaused] = useState(false);
  const [clearedAt, setClearedAt] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  // Frames that arrive while paused wait here, so nothing is lost when the table moves on.
  const pending = useRef<TrafficFrame[]>([]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const { frames: latest } = await bridge.call('devices.traffic', { deviceId, limit: 500 });
        if (stopped) return;
        pending.current = mergeFrames(pending.current, latest);
        if (!pausedRef.current) setFrames(pending.current);
        setError(null);
      } catch (failure) {
        if (!stopped) setError(callErrorMessage(failure, t('error.internal')));
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [deviceId, t]);

  const togglePause = () => {
    if (paused) setFrames(pending.current);
    setPaused(!paused);
  };

  const shown = framesAfter(frames, clearedAt);
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useLayoutEffect(() => {
    const box = scroller.current;
    if (box && follow.current) box.scrollTop = box.scrollHeight;
  }, [shown.length]);

  return (
    <div className="traffic" data-testid="traffic-view">
      <div className="traffic-toolbar">
        <button type="button" className="btn" onClick={togglePause} aria-pressed={paused} data-testid="traffic-pause">
          {t(paused ? 'traffic.resume' : 'traffic.pause')}
        </button>
        <button type="button" className="btn" onClick={() => setClearedAt(frames.at(-1)?.ts ?? Date.now())} data-testid="traffic-clear">
          {t('traffic.clear')}
        </button>
        <span className="traffic-count">{t('traffic.count', { count: shown.length })}</span>
        <span className="spacer" />
        <span className={`traffic-recording${paused ? ' is-paused' : ''}`}>
          <span className="traffic-dot" aria-hidden="true" />
          {t(paused ? 'traffic.pausedNote' : 'traffic.recordingNote')}
        </span>
      </div>
      {error && <Notice tone="bad">{error}</Notice>}
      <div className="traffic-scroll" ref={scroller} onScroll={(event) => (follow.current = isAtBottom(event.currentTarget))}>
        {shown.length === 0 ? (
          <p className="muted traffic-empty">{t('traffic.empty')}</p>
        ) : (
          <table className="traffic-table">
            <thead>
              <tr>
                <th className="traffic-time">{t('traffic.time')}</th>
                <th className="traffic-dir">{t('traffic.direction')}</th>
                <th className="traffic-unit">{t('traffic.unit')}</th>
                <th>{t('traffic.bytes')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((frame, index) => (
                <tr key={`${frame.ts}-${index}`} className={`traffic-${frame.direction}`}>
                  <td className="traffic-time">{formatClockMs(frame.ts)}</td>
                  <td className="traffic-dir">{frame.direction === 'tx' ? 'TX' : 'RX'}</td>
                  <td className="traffic-unit">{frame.unitId ?? ''}</td>
                  <td className="traffic-hex">{frame.hex}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
