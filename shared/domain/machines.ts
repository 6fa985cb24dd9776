// Machines as the KPI engine sees them: which point tells the machine's state (and which of its
// values mean running, idle, alarm), which counters count its parts and scrap, its ideal cycle time,
// and where its energy is metered. Plus the catalogue of stop reasons operators pick from. Stored
// as one settings document ('kpis.machines').
import { z } from 'zod';

/** Where the machines are kept in the settings table. */
export const MACHINES_SETTINGS_KEY = 'kpis.machines';

/** The reason code of stops nobody gave a reason for (never a catalogue entry). */
export const UNASSIGNED_REASON = 'unassigned';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only');
const pointId = z.string().min(1).max(200);
const stateValues = z.array(z.number().finite()).max(50);

export const MeterSchema = z.object({
  pointId,
  /** 'energy': a kWh register that counts up (a counter point); 'power': a kW reading, integrated over time. */
  kind: z.enum(['energy', 'power']),
});
export type Meter = z.infer<typeof MeterSchema>;

export const MachineSchema = z.object({
  id,
  name: z.string().min(1).max(80),
  deviceId: id,
  /** The point whose value is the machine's state code (a state point). */
  stateTag: pointId,
  /** State codes meaning the machine runs (produces). */
  runningStates: stateValues.min(1),
  idleStates: stateValues.default([]),
  alarmStates: stateValues.default([]),
  /** The counter of cycles or parts made (a counter point). */
  partCounter: pointId,
  /** A counter of scrapped parts; good = total − scrap. */
  scrapCounter: pointId.optional(),
  /** Or a counter of good parts; scrap = total − good. */
  goodCounter: pointId.optional(),
  /** Parts per count of the part counter (cavities of a mould); 1 when it counts parts. */
  partsPerCount: z.number().positive().max(1000).default(1),
  /** The fastest a count of the part counter can be made, in seconds (the cycle time at full speed). */
  idealCycleTimeS: z.number().positive().max(86_400),
  /** Stops shorter than this (seconds) are micro-stops, counted together and without a reason. */
  microStopS: z.number().min(0).max(3600).default(120),
  /** The machine's own meter, if it has one (the plant's meter is in MachineSettings). */
  meter: MeterSchema.optional(),
});
export type Machine = z.infer<typeof MachineSchema>;
export type MachineInput = z.input<typeof MachineSchema>;

export const StopReasonSchema = z.object({
  code: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, "_" and "-" only')
    .refine((code) => code !== UNASSIGNED_REASON, `"${UNASSIGNED_REASON}" is kept for stops without a reason`),
  en: z.string().min(1).max(60),
  zh: z.string().min(1).max(60),
  /** A planned stop (maintenance, a planned changeover): its time is taken out of planned production time. */
  planned: z.boolean().default(false),
});
export type StopReason = z.infer<typeof StopReasonSchema>;

/** The reasons an operator picks from for a stop, in both languages. */
export const DEFAULT_STOP_REASONS: readonly StopReason[] = [
  { code: 'changeover', en: 'Changeover', zh: '换型换模', planned: false },
  { code: 'noMaterial', en: 'No material', zh: '缺料', planned: false },
  { code: 'breakdown', en: 'Breakdown', zh: '设备故障', planned: false },
  { code: 'qualityProblem', en: 'Quality problem', zh: '质量问题', planned: false },
  { code: 'waitingForOperator', en: 'Waiting for operator', zh: '等待操作工', planned: false },
  { code: 'plannedMaintenance', en: 'Planned maintenance', zh: '计划保养', planned: true },
  { code: 'other', en: 'Other', zh: '其他', planned: false },
];

export const MachineSettingsSchema = z.object({
  machines: z.array(MachineSchema).max(200),
  /** The meter of the whole plant (or cell): the plant's energy, cost by tariff band and peak demand. */
  plantMeter: MeterSchema.nullable().default(null),
  stopReasons: z.array(StopReasonSchema).min(1).max(100).default(() => DEFAULT_STOP_REASONS.map((reason) => ({ ...reason }))),
});
export type MachineSettings = z.infer<typeof MachineSettingsSchema>;
export type MachineSettingsInput = z.input<typeof MachineSettingsSchema>;
