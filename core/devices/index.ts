// Devices: Modbus links, the block planner, pollers and the stored device configuration.
export { DeviceManager, type DeviceManagerEvents } from './device-manager.ts';
export { DeviceStore, type StoredPoint } from './device-store.ts';
export { DevicePoller, decodePoint, readBlock, type PollerOptions } from './device-poller.ts';
export { planBlocks, planOptionsFor, splitBlock, pointSpan, type ReadBlock, type PlanOptions } from './block-planner.ts';
export { ModbusLink, linkKey, linkAddress, PRIORITY, type LinkOptions, type ModbusClient, type Priority } from './modbus-link.ts';
export { TrafficRecorder } from './traffic-recorder.ts';
export { EXCEPTION_NAMES, toDeviceError, failureKind } from './modbus-errors.ts';
