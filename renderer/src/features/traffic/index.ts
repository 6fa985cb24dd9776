// The traffic view: a device's raw Modbus frames in hex.
export { TrafficView } from './TrafficView.tsx';
