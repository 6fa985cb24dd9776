// Every call the UI can make, declared once. Names are `domain.verb`.
import { z } from 'zod';
import { PointSchema, QUALITIES } from '../domain/devices.ts';
import { defineCall } from './define.ts';
import { DeviceViewSchema, deviceCalls } from './device-calls.ts';
import { storageCalls } from './storage-calls.ts';
import { exportCalls } from './export-calls.ts';
import { historianCalls } from './historian-calls.ts';
import { alarmCalls } from './alarm-calls.ts';
import { dashboardCalls } from './dashboard-calls.ts';
import { kpiCalls, kpiDefinitionCalls } from './kpi-calls.ts';
import { marketCalls } from './market-calls.ts';
import { licenceCalls } from './licence-calls.ts';

export * from './device-calls.ts';
export * from './storage-calls.ts';
export * from './export-calls.ts';
export * from './historian-calls.ts';
export * from './alarm-calls.ts';
export * from './dashboard-calls.ts';
export * from './kpi-calls.ts';
export * from './market-calls.ts';
export * from './licence-calls.ts';

const empty = z.object({}).strict();

export const LatestValueSchema = z.object({
  ts: z.number().int(),
  value: z.union([z.number(), z.string(), z.null()]),
  quality: z.enum(QUALITIES),
});
export type LatestValue = z.infer<typeof LatestValueSchema>;

export const PointViewSchema = PointSchema.extend({ latest: LatestValueSchema.nullable() });
export type PointView = z.infer<typeof PointViewSchema>;

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
      /** Where the demo plant's machines answer (host and port by machine), so an install form can fill them in; null without the demo. */
      demoEndpoints: z.record(z.string(), z.object({ host: z.string(), port: z.number().int() })).nullable(),
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
  ...historianCalls,
  ...deviceCalls,
  ...storageCalls,
  ...exportCalls,
  ...alarmCalls,
  ...dashboardCalls,
  ...kpiCalls,
  ...kpiDefinitionCalls,
  ...marketCalls,
  ...licenceCalls,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<Name extends CallName> = z.input<Calls[Name]['input']>;
export type CallOutput<Name extends CallName> = z.output<Calls[Name]['output']>;

export function isCallName(name: string): name is CallName {
  return Object.hasOwn(calls, name);
}
