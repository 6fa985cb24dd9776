// What the KPI engine knows before anyone configures it: the demo plant's machines (when the demo
// devices are there) and its meter as the plant's meter. State codes, counters and cycle times are
// those of docs/demo-plant.md: 0 idle, 1 running, 2 alarm; the CNC's cycles take 38–52 s, the
// moulding machine's 23–25.5 s, so the ideal cycle times are 38 s and 23 s.
import type { Locale } from '../../shared/index.ts';
import { DEFAULT_STOP_REASONS, type Machine, type MachineSettings } from '../../shared/domain/machines.ts';
import { DEMO_DEVICES } from '../demo/demo-config.ts';

const DEMO_MACHINES: readonly { deviceId: string; counter: string; idealCycleTimeS: number }[] = [
  { deviceId: 'demo-cnc1', counter: 'partCount', idealCycleTimeS: 38 },
  { deviceId: 'demo-imm1', counter: 'shotCount', idealCycleTimeS: 23 },
];
const DEMO_METER = 'demo-meter1.energyImport';

/** The machine settings used until an engineer saves some: the demo plant's, for the devices that exist. */
export function defaultMachineSettings(locale: Locale, deviceExists: (deviceId: string) => boolean): MachineSettings {
  const machines: Machine[] = [];
  for (const demo of DEMO_MACHINES) {
    const seed = DEMO_DEVICES.find((device) => device.id === demo.deviceId);
    if (!seed || !deviceExists(demo.deviceId)) continue;
    machines.push({
      id: demo.deviceId.replace(/^demo-/, ''),
      name: locale === 'en' ? seed.en : seed.zh,
      deviceId: demo.deviceId,
      stateTag: `${demo.deviceId}.state`,
      runningStates: [1],
      idleStates: [0],
      alarmStates: [2],
      partCounter: `${demo.deviceId}.${demo.counter}`,
      partsPerCount: 1,
      idealCycleTimeS: demo.idealCycleTimeS,
      microStopS: 120,
    });
  }
  return {
    machines,
    plantMeter: deviceExists('demo-meter1') ? { pointId: DEMO_METER, kind: 'energy' } : null,
    stopReasons: DEFAULT_STOP_REASONS.map((reason) => ({ ...reason })),
  };
}
