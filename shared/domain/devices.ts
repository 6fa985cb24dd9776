// What a device and its points are, in the words a technician uses (Modbus Poll, Kepware).
// Declared once as zod schemas: the contract, the core's store and templates all use these.
import { z } from 'zod';
import { registerCount } from '../codec/registers.ts';

export const DATA_TYPES = [
  'bool', 'bit', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'string',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** Byte order within the value as A (most significant byte) to D; CDAB is "word swapped". */
export const WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
export type WordOrder = (typeof WORD_ORDERS)[number];

/** Modbus data areas: coils (FC1/5/15), discrete inputs (FC2), holding (FC3/6/16), input registers (FC4). */
export const FUNCTIONS = ['coil', 'discrete', 'holding', 'input'] as const;
export type PointFunction = (typeof FUNCTIONS)[number];

export const QUALITIES = ['good', 'stale', 'bad'] as const;
export type Quality = (typeof QUALITIES)[number];

/**
 * The quality a value has now: a "good" value older than three scans (and at least five seconds)
 * has gone stale, because no newer sample came. One rule for the core's answers and the UI's clock.
 */
export function effectiveQuality(latest: { ts: number; quality: Quality }, scanMs: number, now: number): Quality {
  if (latest.quality !== 'good') return latest.quality;
  return now - latest.ts > Math.max(3 * scanMs, 5000) ? 'stale' : 'good';
}

/** 'quarantined': the device kept timing out and is left alone for a while, so it cannot eat its neighbours' bus time. */
export const DEVICE_STATES = ['connecting', 'connected', 'disconnected', 'error', 'quarantined', 'disabled'] as const;
export type DeviceState = (typeof DEVICE_STATES)[number];

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only');
const host = z.string().min(1).max(253);
const port = z.number().int().min(1).max(65535);

export const ConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tcp'), host, port }),
  z.object({ kind: z.literal('rtuOverTcp'), host, port }),
  z.object({
    kind: z.literal('rtu'),
    path: z.string().min(1).max(256),
    baudRate: z.number().int().min(300).max(921600),
    parity: z.enum(['none', 'even', 'odd']),
    dataBits: z.union([z.literal(7), z.literal(8)]),
    stopBits: z.union([z.literal(1), z.literal(2)]),
  }),
]);
export type Connection = z.infer<typeof ConnectionSchema>;

/** How a device takes a write to one holding register: FC6, FC16, or FC6 unless told otherwise. */
export const WRITE_FUNCTIONS = ['auto', 'single', 'multiple'] as const;

export const DeviceSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  connection: ConnectionSchema,
  unitId: z.number().int().min(0).max(255).default(1),
  timeoutMs: z.number().int().min(50).max(60_000).default(1000),
  retries: z.number().int().min(0).max(5).default(1),
  enabled: z.boolean().default(true),
  /** Part of the built-in demo plant (its address is refreshed at every start). */
  demo: z.boolean().default(false),
  /** Merge neighbouring points into one read; off for devices that refuse reads over unmapped addresses. */
  mergeReads: z.boolean().default(true),
  /** Largest run of unmapped registers one read may span when merging. */
  maxGap: z.number().int().min(0).max(100).default(10),
  /** Largest read the device accepts (the specification allows 125 registers, 2000 bits). */
  maxRegistersPerRead: z.number().int().min(1).max(125).default(125),
  maxBitsPerRead: z.number().int().min(1).max(2000).default(2000),
  writeFunction: z.enum(WRITE_FUNCTIONS).default('auto'),
});
export type Device = z.infer<typeof DeviceSchema>;
export type DeviceInput = z.input<typeof DeviceSchema>;

export const POINT_KINDS = ['analog', 'counter', 'state'] as const;
export type PointKind = (typeof POINT_KINDS)[number];

/** How long each form of a point's history is kept, in days; null keeps it for ever. */
export const RetentionPolicySchema = z.object({
  rawDays: z.number().int().min(1).max(36_500).nullable(),
  minuteDays: z.number().int().min(1).max(36_500).nullable(),
  hourDays: z.number().int().min(1).max(36_500).nullable(),
});
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

export const PointSchema = z.object({
  id,
  deviceId: id,
  name: z.string().min(1).max(100),
  description: z.string().max(500).default(''),
  unit: z.string().max(20).default(''),
  function: z.enum(FUNCTIONS).default('holding'),
  /** Zero-based protocol address (register 40001 is holding address 0). */
  address: z.number().int().min(0).max(65535),
  dataType: z.enum(DATA_TYPES),
  /** Bit number within the register, for dataType 'bit'. */
  bit: z.number().int().min(0).max(15).optional(),
  /** Number of registers, for dataType 'string'. */
  length: z.number().int().min(1).max(123).optional(),
  wordOrder: z.enum(WORD_ORDERS).default('ABCD'),
  scale: z.number().finite().default(1),
  offset: z.number().finite().default(0),
  deadband: z.number().min(0).default(0),
  scanMs: z.number().int().min(100).max(3_600_000).default(1000),
  /**
   * How the historian sums the point up per minute and hour: a measurement (averages, min/max), a
   * counter (the increase, across a reset or a register rollover) or a state (time in each value).
   */
  kind: z.enum(POINT_KINDS).default('analog'),
  /** Keeps this point's history longer or shorter than its class does (null: forever). */
  retention: RetentionPolicySchema.partial().optional(),
  writable: z.boolean().default(false),
});
export type Point = z.infer<typeof PointSchema>;
export type PointInput = z.input<typeof PointSchema>;

const isBitArea = (fn: PointFunction) => fn === 'coil' || fn === 'discrete';

/** A problem with one field of one point, as a message key of shared/i18n and its parameters. */
export interface PointProblem {
  field: keyof Point;
  key: string;
  params: Record<string, string | number>;
}

/**
 * What is wrong with one point beyond its fields' own ranges: a type that does not fit its data
 * area, a missing bit number or string length, an address range past 65535, a write to a read-only
 * area. Each problem names the field, for a form or a row/column report.
 */
export function pointProblems(point: Point): PointProblem[] {
  const problems: PointProblem[] = [];
  const add = (field: keyof Point, key: string, params: Record<string, string | number> = {}) => problems.push({ field, key, params });
  if (isBitArea(point.function) && point.dataType !== 'bool') add('dataType', 'map.problem.bitAreaNeedsBool', { function: point.function });
  if (!isBitArea(point.function) && point.dataType === 'bool') add('dataType', 'map.problem.registerNotBool');
  if (point.dataType === 'bit' && point.bit === undefined) add('bit', 'map.problem.bitMissing');
  if (point.dataType === 'string' && point.length === undefined) add('length', 'map.problem.lengthMissing');
  const span = isBitArea(point.function) ? 1 : registerCount(point.dataType, point.length ?? 1);
  if (point.address + span > 65536) add('address', 'map.problem.pastLastAddress', { dataType: point.dataType, address: point.address, span });
  if (point.writable && (point.function === 'discrete' || point.function === 'input')) add('writable', 'map.problem.readOnlyArea', { function: point.function });
  return problems;
}

/** Problems of a device's whole point list: duplicate ids and names, besides each point's own. */
export function pointListProblems(points: readonly Point[]): (PointProblem & { index: number })[] {
  const problems: (PointProblem & { index: number })[] = [];
  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  points.forEach((point, index) => {
    for (const problem of pointProblems(point)) problems.push({ index, ...problem });
    const id = seenIds.get(point.id);
    if (id !== undefined) problems.push({ index, field: 'id', key: 'map.problem.duplicateId', params: { id: point.id, row: id + 1 } });
    else seenIds.set(point.id, index);
    const nameKey = point.name.trim().toLowerCase();
    const name = seenNames.get(nameKey);
    if (name !== undefined) problems.push({ index, field: 'name', key: 'map.problem.duplicateName', params: { name: point.name, row: name + 1 } });
    else seenNames.set(nameKey, index);
  });
  return problems;
}

export const SampleSchema = z.object({
  pointId: id,
  ts: z.number().int(),
  value: z.union([z.number(), z.string(), z.null()]),
  quality: z.enum(QUALITIES),
});
export type Sample = z.infer<typeof SampleSchema>;

/** A message the UI renders in its own language: a key of shared/i18n and its parameters. */
export const LocalizedMessageSchema = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type LocalizedMessage = z.infer<typeof LocalizedMessageSchema>;

export const DeviceStatusSchema = z.object({
  deviceId: id,
  state: z.enum(DEVICE_STATES),
  lastGoodReadAt: z.number().int().nullable(),
  latencyMedianMs: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  requests: z.number().int(),
  timeouts: z.number().int(),
  exceptions: z.number().int(),
  lastError: LocalizedMessageSchema.nullable(),
  /** While quarantined: when the next attempt is due. */
  quarantinedUntil: z.number().int().nullable(),
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
