// What the health panel says about a device: its state in words (a quarantined device says when it
// is tried again), and for a serial bus how much of the bus its scans need.
import type { LinkView } from '../../../../shared/contract/device-calls.ts';
import type { DeviceStatus } from '../../../../shared/domain/devices.ts';
import type { FieldMessage } from '../../validation/schema-errors.ts';

/** Whole seconds until a quarantined device is tried again (0 when due). */
export function quarantineSecondsLeft(quarantinedUntil: number | null, now: number): number {
  if (quarantinedUntil === null) return 0;
  return Math.max(0, Math.ceil((quarantinedUntil - now) / 1000));
}

/**
 * The device's state as a message: "Quarantined — next try in 20 s" while it is left alone, the
 * state's own word otherwise.
 */
export function stateMessage(status: Pick<DeviceStatus, 'state' | 'quarantinedUntil'>, now: number): FieldMessage {
  if (status.state === 'quarantined' && status.quarantinedUntil !== null) {
    const seconds = quarantineSecondsLeft(status.quarantinedUntil, now);
    return seconds > 0 ? { key: 'devices.quarantinedNextTry', params: { seconds } } : { key: 'devices.quarantinedRetrying' };
  }
  return { key: `devices.state.${status.state}` };
}

/** The link (socket, gateway, serial bus) a device is polled over. */
export function linkOfDevice(links: readonly LinkView[], deviceId: string): LinkView | undefined {
  return links.find((link) => link.deviceIds.includes(deviceId));
}

/** A share of the bus as a whole percentage: 1.3 → 130. */
export function percent(share: number): number {
  return Math.round(share * 100);
}

/** Share of timed-out requests, or null before the first request. */
export function timeoutShare(status: Pick<DeviceStatus, 'requests' | 'timeouts'>): number | null {
  return status.requests > 0 ? status.timeouts / status.requests : null;
}
