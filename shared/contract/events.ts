// Every event the core pushes to the UI, declared once. Names are `domain.pastTense`.
import { z } from 'zod';
import { DeviceStatusSchema, SampleSchema } from '../domain/devices.ts';
import { defineEvent } from './define.ts';
import { ScanProgressSchema } from './device-calls.ts';
import { STORAGE_PROBLEM_KINDS, STORAGE_STATES } from './storage-calls.ts';
import { ExportProgressSchema } from './export-calls.ts';
import { alarmEvents } from './alarm-calls.ts';
import { marketEvents } from './market-calls.ts';
import { licenceEvents } from './licence-calls.ts';

export const events = {
  'samples.appended': defineEvent({
    summary: 'New samples were read from devices (a batch, at most a few times a second).',
    payload: z.object({ samples: z.array(SampleSchema) }),
  }),
  'devices.statusChanged': defineEvent({
    summary: 'A device connected, disconnected, failed or its statistics changed.',
    payload: z.object({ status: DeviceStatusSchema }),
  }),
  'commissioning.scanProgressed': defineEvent({
    summary: 'A unit-id scan moved on: how far it is and which units answered so far.',
    payload: ScanProgressSchema,
  }),
  'devices.changed': defineEvent({
    summary: 'Devices or points were added, changed or removed: lists should be read again.',
    payload: z.object({ deviceIds: z.array(z.string()) }),
  }),
  'storage.statusChanged': defineEvent({
    summary: 'The database became usable or unusable, a write problem began or ended, or a backup was taken or restored: read storage.status again.',
    payload: z.object({
      state: z.enum(STORAGE_STATES),
      problemKind: z.enum(STORAGE_PROBLEM_KINDS).nullable(),
      lastBackupAt: z.number().int().nullable(),
    }),
  }),
  'export.progressed': defineEvent({
    summary: 'An export moved on or finished: rows written, the expected total and its state (at most every 250 ms per export).',
    payload: ExportProgressSchema,
  }),
  ...alarmEvents,
  ...marketEvents,
  ...licenceEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<Name extends EventName> = z.output<Events[Name]['payload']>;

/** What travels on an event stream (WebSocket message, IPC message). */
export type EventMessage = { [Name in EventName]: { event: Name; payload: EventPayload<Name> } }[EventName];
