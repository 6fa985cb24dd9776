// Every call the UI can make, declared once. Names are `domain.verb`.
import { z } from 'zod';
import { PointSchema, QUALITIES } from '../domain/devices.ts';
import { defineCall } from './define.ts';
import { DeviceViewSchema, deviceCalls } from './device-calls.ts';
import { storageCalls } from './storage-calls.ts';
import { exportCalls } from './export-calls.ts';

export * from './device-calls.ts';
export * from './storage-calls.ts';
export * from './export-calls.ts';

const empty = z.object({}).strict();

export const LatestValueSchema = z.object({
  ts: z.number().int(),
  value: z.union([z.number(), z.string(), z.null()]),
  quality: z.enum(QUALITIES),
});
export type LatestValue = z.infer<typeof LatestValueSchema>;

export const PointViewSchema = PointSchema.extend({ latest: LatestValueSchema.nullable() });
export type PointView = z.infer<typeof PointViewSchema>;

/**
 * One chart point: time, and the average, minimum and maximum of the samples it stands for.
 * Nulls mark a gap (the device was not answering), which a chart draws as a break in the line.
 */
const nullableNumber = z.number().nullable();
export const TrendPointSchema = z.tuple([z.number().int(), nullableNumber, nullableNumber, nullableNumber]);
export type TrendPoint = z.infer<typeof TrendPointSchema>;

export const TrendSeriesSchema = z.object({
  pointId: z.string(),
  /** Width of one chart point in ms; 0 when the points are the raw samples. */
  bucketMs: z.number().int().min(0),
  points: z.array(TrendPointSchema),
});
export type TrendSeries = z.infer<typeof TrendSeriesSchema>;

export const calls = {
  'app.info': defineCall({
    summary: 'What is running: version, host and whether the demo plant is on.',
    role: 'viewer',
    input: empty,
    output: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'web']),
      demo: z.boolean(),
      startedAt: z.number().int(),
      serverTime: z.number().int(),
    }),
  }),
  'devices.list': defineCall({
    summary: 'All devices with their configuration and live connection status.',
    role: 'viewer',
    input: empty,
    output: z.array(DeviceViewSchema),
  }),
  'points.list': defineCall({
    summary: 'Points (tags), optionally of one device, with their latest value and quality.',
    role: 'viewer',
    input: z.object({ deviceId: z.string().optional() }).strict(),
    output: z.array(PointViewSchema),
  }),
  'historian.query': defineCall({
    summary: 'Stored values of some points over a time range, reduced to about maxPoints chart points each.',
    role: 'viewer',
    input: z
      .object({
        pointIds: z.array(z.string()).min(1).max(20),
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        maxPoints: z.number().int().min(10).max(5000).default(600),
      })
      .strict(),
    output: z.object({ series: z.array(TrendSeriesSchema) }),
  }),
  ...deviceCalls,
  ...storageCalls,
  ...exportCalls,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<Name extends CallName> = z.input<Calls[Name]['input']>;
export type CallOutput<Name extends CallName> = z.output<Calls[Name]['output']>;

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}
