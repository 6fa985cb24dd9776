// What the renderer sees of the core, whichever transport carries it: `window.plantdesk` in Electron,
// HTTP and a WebSocket in a browser. The Electron preload is checked against this with `satisfies`.
import type { ErrorBody } from '../errors.ts';
import type { CallInput, CallName, CallOutput } from './calls.ts';
import type { EventName, EventPayload } from './events.ts';

export interface PlantDeskBridge {
  call<Name extends CallName>(name: Name, input: CallInput<Name>): Promise<CallOutput<Name>>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<Name extends EventName>(event: Name, listener: (payload: EventPayload<Name>) => void): () => void;
}

/** A call's outcome as it crosses a process boundary (IPC cannot carry error classes). */
export type CallResult = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

/** The error a bridge rejects with: the core's error body, in the user's language. */
export class CallFailedError extends Error {
  readonly body: ErrorBody;
  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'CallFailedError';
    this.body = body;
  }
}

/** IPC channel names used between preload and main. */
export const IPC_CHANNELS = { call: 'plantdesk:call', event: 'plantdesk:event' } as const;
