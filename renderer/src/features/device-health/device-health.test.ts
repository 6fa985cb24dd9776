import { describe, expect, it } from 'vitest';
import type { LinkView } from '../../../../shared/contract/device-calls.ts';
import { linkOfDevice, percent, quarantineSecondsLeft, stateMessage, timeoutShare } from './device-health.ts';

describe('device health', () => {
  it('counts down a quarantine in whole seconds', () => {
    expect(quarantineSecondsLeft(30_000, 10_001)).toBe(20);
    expect(quarantineSecondsLeft(30_000, 31_000)).toBe(0);
    expect(quarantineSecondsLeft(null, 0)).toBe(0);
  });

  it('says when a quarantined device is tried again', () => {
    expect(stateMessage({ state: 'quarantined', quarantinedUntil: 30_000 }, 10_000)).toEqual({ key: 'devices.quarantinedNextTry', params: { seconds: 20 } });
    expect(stateMessage({ state: 'quarantined', quarantinedUntil: 30_000 }, 40_000)).toEqual({ key: 'devices.quarantinedRetrying' });
    expect(stateMessage({ state: 'connected', quarantinedUntil: null }, 0)).toEqual({ key: 'devices.state.connected' });
  });

  it('finds the link of a device and its load', () => {
    const link: LinkView = { key: 'rtu:COM3', kind: 'rtu', address: 'COM3', deviceIds: ['m1', 'm2'], queueLength: 0, busUtilisation: 1.304, busOverbooked: true };
    expect(linkOfDevice([link], 'm2')).toBe(link);
    expect(linkOfDevice([link], 'cnc')).toBeUndefined();
    expect(percent(1.304)).toBe(130);
  });

  it('has no timeout share before the first request', () => {
    expect(timeoutShare({ requests: 0, timeouts: 0 })).toBeNull();
    expect(timeoutShare({ requests: 200, timeouts: 5 })).toBe(0.025);
  });
});
