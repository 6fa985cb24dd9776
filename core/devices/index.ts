// Devices: Modbus links, the block planner, pollers and the stored device configuration.
export { DeviceManager, type DeviceManagerEvents } from './device-manager.ts';
export { DeviceStore, type StoredPoint } from './device-store.ts';
export { DevicePoller, decodePoint, readBlock } from './device-poller.ts';
export { planBlocks, pointSpan, type ReadBlock, type PlanOptions } from './block-planner.ts';
export { ModbusLink, linkKey, linkAddress, type LinkOptions, type ModbusClient } from './modbus-link.ts';
export { EXCEPTION_NAMES, toDeviceError, failureKind } from './modbus-errors.ts';
