// The device health panel: counters, latency, last error, link and bus load.
export { DeviceHealth } from './DeviceHealth.tsx';
export { stateMessage, quarantineSecondsLeft } from './device-health.ts';
