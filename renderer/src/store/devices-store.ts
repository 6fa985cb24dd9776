// The devices with their live status, and which one the user is looking at.
import { create } from 'zustand';
import type { DeviceView } from '../../../shared/contract/calls.ts';
import type { DeviceStatus } from '../../../shared/domain/devices.ts';

interface DevicesState {
  devices: DeviceView[];
  selectedDeviceId: string | null;
  setDevices(devices: DeviceView[]): void;
  applyStatus(status: DeviceStatus): void;
  select(deviceId: string): void;
}

export const useDevicesStore = create<DevicesState>()((set) => ({
  devices: [],
  selectedDeviceId: null,
  setDevices: (devices) =>
    set((state) => ({
      devices,
      // Keep the user's choice while the device exists; else the first device.
      selectedDeviceId: devices.some((device) => device.id === state.selectedDeviceId)
        ? state.selectedDeviceId
        : (devices[0]?.id ?? null),
    })),
  applyStatus: (status) =>
    set((state) => ({
      devices: state.devices.map((device) => (device.id === status.deviceId ? { ...device, status } : device)),
    })),
  select: (deviceId) => set({ selectedDeviceId: deviceId }),
}));
