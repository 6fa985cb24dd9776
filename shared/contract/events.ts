// Every event the core pushes to the UI, declared once. Names are `domain.pastTense`.
import { z } from 'zod';
import { DeviceStatusSchema, SampleSchema } from '../domain/devices.ts';
import { defineEvent } from './define.ts';
import { ScanProgressSchema } from './device-calls.ts';

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
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<Name extends EventName> = z.output<Events[Name]['payload']>;

/** What travels on an event stream (WebSocket message, IPC message). */
export type EventMessage = { [Name in EventName]: { event: Name; payload: EventPayload<Name> } }[EventName];
