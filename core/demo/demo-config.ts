// The demo plant as devices and points, exactly as a technician would enter them for real machines.
// The register map is documented in docs/demo-plant.md; names follow the language at first start.
import { DeviceSchema, PointSchema, type DataType, type Device, type Locale, type Point, type PointKind, type WordOrder } from '../../shared/index.ts';

export const DEMO_MACHINES = ['cnc', 'moulding', 'meter'] as const;
export type DemoMachine = (typeof DEMO_MACHINES)[number];

interface PointSeed {
  key: string;
  en: string;
  zh: string;
  unit: string;
  address: number;
  dataType: DataType;
  scale?: number;
  wordOrder?: WordOrder;
  writable?: boolean;
  /** How the history sums it up; analog unless it is a counter (parts, kWh) or a state code. */
  kind?: PointKind;
}

interface DeviceSeed {
  id: string;
  machine: DemoMachine;
  en: string;
  zh: string;
  points: PointSeed[];
}

export const DEMO_DEVICES: readonly DeviceSeed[] = [
  {
    id: 'demo-cnc1',
    machine: 'cnc',
    en: 'CNC-1 machining centre',
    zh: 'CNC-1 加工中心',
    points: [
      { key: 'state', en: 'State', zh: '运行状态', unit: '', address: 0, dataType: 'uint16', kind: 'state' },
      { key: 'spindleSpeed', en: 'Spindle speed', zh: '主轴转速', unit: 'rpm', address: 1, dataType: 'uint16' },
      { key: 'spindleLoad', en: 'Spindle load', zh: '主轴负载', unit: '%', address: 2, dataType: 'uint16', scale: 0.1 },
      { key: 'partCount', en: 'Part counter', zh: '加工件数', unit: 'pcs', address: 3, dataType: 'uint32', kind: 'counter' },
      { key: 'feedOverride', en: 'Feed override', zh: '进给倍率', unit: '%', address: 5, dataType: 'uint16', writable: true },
    ],
  },
  {
    id: 'demo-imm1',
    machine: 'moulding',
    en: 'IMM-1 injection moulding',
    zh: 'IMM-1 注塑机',
    points: [
      { key: 'state', en: 'State', zh: '运行状态', unit: '', address: 0, dataType: 'uint16', kind: 'state' },
      { key: 'barrelZone1', en: 'Barrel zone 1', zh: '料筒一段温度', unit: '°C', address: 1, dataType: 'int16', scale: 0.1 },
      { key: 'barrelZone2', en: 'Barrel zone 2', zh: '料筒二段温度', unit: '°C', address: 2, dataType: 'int16', scale: 0.1 },
      { key: 'barrelZone3', en: 'Barrel zone 3', zh: '料筒三段温度', unit: '°C', address: 3, dataType: 'int16', scale: 0.1 },
      { key: 'mouldTemp', en: 'Mould temperature', zh: '模具温度', unit: '°C', address: 4, dataType: 'int16', scale: 0.1 },
      { key: 'cycleTime', en: 'Cycle time', zh: '成型周期', unit: 's', address: 5, dataType: 'float32' },
      { key: 'shotCount', en: 'Shot counter', zh: '开模次数', unit: 'shots', address: 7, dataType: 'uint32', kind: 'counter' },
      { key: 'injectionPressure', en: 'Injection pressure', zh: '注射压力', unit: 'bar', address: 9, dataType: 'uint16' },
    ],
  },
  {
    id: 'demo-meter1',
    machine: 'meter',
    en: 'Meter-1 cell power',
    zh: 'Meter-1 产线电表',
    points: [
      { key: 'voltageA', en: 'Voltage L1', zh: 'A 相电压', unit: 'V', address: 0, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'voltageB', en: 'Voltage L2', zh: 'B 相电压', unit: 'V', address: 2, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'voltageC', en: 'Voltage L3', zh: 'C 相电压', unit: 'V', address: 4, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'currentA', en: 'Current L1', zh: 'A 相电流', unit: 'A', address: 6, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'currentB', en: 'Current L2', zh: 'B 相电流', unit: 'A', address: 8, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'currentC', en: 'Current L3', zh: 'C 相电流', unit: 'A', address: 10, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'activePower', en: 'Active power', zh: '总有功功率', unit: 'kW', address: 12, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'powerFactor', en: 'Power factor', zh: '功率因数', unit: '', address: 14, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'frequency', en: 'Frequency', zh: '频率', unit: 'Hz', address: 16, dataType: 'float32', wordOrder: 'CDAB' },
      { key: 'energyImport', en: 'Energy import', zh: '正向有功电能', unit: 'kWh', address: 18, dataType: 'float32', wordOrder: 'CDAB', kind: 'counter' },
    ],
  },
];

/** Devices and points of the demo plant, pointing at servers on 127.0.0.1 at the given ports. */
export function demoConfiguration(
  ports: Record<DemoMachine, number>,
  locale: Locale,
): { devices: Device[]; points: Point[] } {
  const devices: Device[] = [];
  const points: Point[] = [];
  for (const seed of DEMO_DEVICES) {
    devices.push(DeviceSchema.parse({
      id: seed.id,
      name: locale === 'en' ? seed.en : seed.zh,
      connection: { kind: 'tcp', host: '127.0.0.1', port: ports[seed.machine] },
      unitId: 1,
      timeoutMs: 1000,
      retries: 1,
      enabled: true,
      demo: true,
      // The demo's maps are contiguous; a real device's gaps are bridged up to maxGap registers.
    }));
    for (const point of seed.points) {
      points.push(PointSchema.parse({
        id: `${seed.id}.${point.key}`,
        deviceId: seed.id,
        name: locale === 'en' ? point.en : point.zh,
        description: locale === 'en' ? point.zh : point.en,
        unit: point.unit,
        function: 'holding',
        address: point.address,
        dataType: point.dataType,
        wordOrder: point.wordOrder ?? 'ABCD',
        scale: point.scale ?? 1,
        offset: 0,
        deadband: 0,
        scanMs: 1000,
        writable: point.writable ?? false,
        kind: point.kind ?? 'analog',
      }));
    }
  }
  return { devices, points };
}
