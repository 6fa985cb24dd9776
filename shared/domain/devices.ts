// What a device and its points are, in the words a technician uses (Modbus Poll, Kepware).
// Declared once as zod schemas: the contract, the core's store and templates all use these.
import { z } from 'zod';

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

export const DEVICE_STATES = ['connecting', 'connected', 'disconnected', 'error', 'disabled'] as const;
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

export const DeviceSchema = z.object({
  id,
  name: z.string().min(1).max(100),
  connection: ConnectionSchema,
  unitId: z.number().int().min(0).max(255),
  timeoutMs: z.number().int().min(50).max(60_000),
  retries: z.number().int().min(0).max(5),
  enabled: z.boolean(),
  /** Part of the built-in demo plant (its address is refreshed at every start). */
  demo: z.boolean(),
});
export type Device = z.infer<typeof DeviceSchema>;

export const PointSchema = z.object({
  id,
  deviceId: id,
  name: z.string().min(1).max(100),
  description: z.string().max(500),
  unit: z.string().max(20),
  function: z.enum(FUNCTIONS),
  /** Zero-based protocol address (register 40001 is holding address 0). */
  address: z.number().int().min(0).max(65535),
  dataType: z.enum(DATA_TYPES),
  /** Bit number within the register, for dataType 'bit'. */
  bit: z.number().int().min(0).max(15).optional(),
  /** Number of registers, for dataType 'string'. */
  length: z.number().int().min(1).max(123).optional(),
  wordOrder: z.enum(WORD_ORDERS),
  scale: z.number().finite(),
  offset: z.number().finite(),
  deadband: z.number().min(0),
  scanMs: z.number().int().min(100).max(3_600_000),
  writable: z.boolean(),
});
export type Point = z.infer<typeof PointSchema>;

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
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
