// The device list feature.
export { DeviceList } from './DeviceList.tsx';
