// Calls a technician uses to commission devices (as with Modbus Poll, Kepware, Ignition): save and
// delete devices and their register maps, test a connection, read before saving, find unit ids on a
// bus, watch the raw traffic, import and export register maps, and write a value with read-back.
import { z } from 'zod';
import { ADDRESS_STYLES } from '../domain/address.ts';
import { ConnectionSchema, DeviceSchema, DeviceStatusSchema, FUNCTIONS, PointSchema } from '../domain/devices.ts';
import { defineCall } from './define.ts';

const empty = z.object({}).strict();
const pointValue = z.union([z.number(), z.string(), z.null()]);

export const DeviceViewSchema = DeviceSchema.extend({ status: DeviceStatusSchema });
export type DeviceView = z.infer<typeof DeviceViewSchema>;

export const ReadingSchema = z.object({
  pointId: z.string(),
  value: pointValue,
  /** The raw registers (or bits as 0/1) the value was decoded from. */
  raw: z.array(z.number()).nullable(),
  /** Why there is no value, in the caller's language. */
  error: z.string().nullable(),
});
export type Reading = z.infer<typeof ReadingSchema>;

export const TrafficFrameSchema = z.object({
  ts: z.number(),
  direction: z.enum(['tx', 'rx']),
  unitId: z.number().int().nullable(),
  hex: z.string(),
});
export type TrafficFrame = z.infer<typeof TrafficFrameSchema>;

export const ScanProgressSchema = z.object({
  scanId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  found: z.array(
    z.object({
      unitId: z.number().int(),
      baudRate: z.number().int().nullable(),
      /** Set when the unit answered with a Modbus exception: it is there, the probe address is not. */
      exception: z.string().nullable(),
    }),
  ),
  finished: z.boolean(),
  error: z.string().nullable(),
});
export type ScanProgress = z.infer<typeof ScanProgressSchema>;

export const MapProblemSchema = z.object({
  /** One-based row of the file (the header is row 1), as a spreadsheet numbers it. */
  row: z.number().int(),
  column: z.string(),
  message: z.string(),
  /** 'warning' (an ignored column) does not stop an import; 'error' keeps its row out. */
  severity: z.enum(['error', 'warning']),
});
export type MapProblem = z.infer<typeof MapProblemSchema>;

export const AuditEntrySchema = z.object({
  id: z.number().int(),
  ts: z.number().int(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  result: z.enum(['ok', 'failed']),
  message: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const LinkViewSchema = z.object({
  key: z.string(),
  kind: z.enum(['tcp', 'rtuOverTcp', 'rtu']),
  address: z.string(),
  deviceIds: z.array(z.string()),
  queueLength: z.number().int(),
  /** Share of a serial bus's time the configured scans need; null for TCP. */
  busUtilisation: z.number().nullable(),
  busOverbooked: z.boolean(),
});
export type LinkView = z.infer<typeof LinkViewSchema>;

export const deviceCalls = {
  'devices.save': defineCall({
    summary: 'Creates or updates a device and, when given, replaces its points; polling restarts with the new settings.',
    role: 'engineer',
    input: z.object({ device: DeviceSchema, points: z.array(PointSchema).max(5000).optional() }).strict(),
    output: DeviceViewSchema,
  }),
  'devices.delete': defineCall({
    summary: 'Removes a device and its points; their stored history stays unless keepHistory is false.',
    role: 'engineer',
    input: z.object({ deviceId: z.string(), keepHistory: z.boolean().default(true) }).strict(),
    output: z.object({ deleted: z.boolean() }),
  }),
  'devices.test': defineCall({
    summary: 'Tries to reach a device (saved or not) with one small read, and says how it went.',
    role: 'engineer',
    input: z.object({ device: DeviceSchema }).strict(),
    output: z.object({ reachable: z.boolean(), latencyMs: z.number().nullable(), message: z.string() }),
  }),
  'devices.readNow': defineCall({
    summary: 'Reads points once from a device (saved or not), for checking a register map before saving it.',
    role: 'engineer',
    input: z.object({ device: DeviceSchema, points: z.array(PointSchema).min(1).max(500) }).strict(),
    output: z.object({ readings: z.array(ReadingSchema) }),
  }),
  'devices.scanUnits': defineCall({
    summary: 'Starts looking for the unit ids that answer on a bus or gateway (at several baud rates on a serial port); progress comes as events.',
    role: 'engineer',
    input: z
      .object({
        connection: ConnectionSchema,
        fromUnit: z.number().int().min(0).max(255).default(1),
        toUnit: z.number().int().min(0).max(255).default(247),
        timeoutMs: z.number().int().min(50).max(5000).default(200),
        probe: z.object({ function: z.enum(FUNCTIONS), address: z.number().int().min(0).max(65535) }).default({ function: 'holding', address: 0 }),
        baudRates: z.array(z.number().int().min(300).max(921600)).max(8).optional(),
      })
      .strict(),
    output: z.object({ scanId: z.string() }),
  }),
  'devices.cancelScan': defineCall({
    summary: 'Stops a unit-id scan.',
    role: 'engineer',
    input: z.object({ scanId: z.string() }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  }),
  'devices.traffic': defineCall({
    summary: 'The latest raw request and response frames of a device, in hex with times, as Modbus Poll shows them.',
    role: 'engineer',
    input: z.object({ deviceId: z.string(), limit: z.number().int().min(1).max(500).default(200) }).strict(),
    output: z.object({ frames: z.array(TrafficFrameSchema) }),
  }),
  'devices.links': defineCall({
    summary: 'The physical connections (sockets, gateways, serial buses), their devices, queues and bus load.',
    role: 'viewer',
    input: empty,
    output: z.array(LinkViewSchema),
  }),
  'serial.listPorts': defineCall({
    summary: 'Serial ports this PC has (COM3, /dev/ttyUSB0, ...).',
    role: 'engineer',
    input: empty,
    output: z.array(z.object({ path: z.string(), manufacturer: z.string().nullable(), serialNumber: z.string().nullable() })),
  }),
  'points.write': defineCall({
    summary: 'Writes a value to a writable point after the user confirmed it, reads it back, and records it in the audit log.',
    role: 'operator',
    input: z.object({ pointId: z.string(), value: z.union([z.number(), z.string()]), confirmed: z.literal(true) }).strict(),
    output: z.object({ pointId: z.string(), oldValue: pointValue, newValue: pointValue, readBack: pointValue, verified: z.boolean() }),
  }),
  'audit.list': defineCall({
    summary: 'The audit log, newest first: who wrote what to which point, and how it went.',
    role: 'engineer',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100), before: z.number().int().optional() }).strict(),
    output: z.array(AuditEntrySchema),
  }),
  'points.importMap': defineCall({
    summary: 'Reads a register map from a CSV or Excel file; checks it, imports it when clean, or imports only its good rows when asked.',
    role: 'engineer',
    input: z
      .object({
        deviceId: z.string(),
        fileName: z.string().min(1).max(260),
        contentBase64: z.string().max(16 * 1024 * 1024),
        addressStyle: z.enum(ADDRESS_STYLES).default('modicon'),
        mode: z.enum(['check', 'import', 'importGoodRows']).default('check'),
      })
      .strict(),
    output: z.object({ points: z.array(PointSchema), problems: z.array(MapProblemSchema), imported: z.number().int() }),
  }),
  'points.exportMap': defineCall({
    summary: 'A device register map as a CSV or Excel file.',
    role: 'viewer',
    input: z
      .object({ deviceId: z.string(), format: z.enum(['csv', 'xlsx']).default('csv'), addressStyle: z.enum(ADDRESS_STYLES).default('modicon') })
      .strict(),
    output: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  }),
} as const;
