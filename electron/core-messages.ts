// Messages between the main process and the core's utility process.
import type { CallResult, EventMessage, Locale } from '../shared/index.ts';

export type ToCore =
  | { type: 'call'; id: number; name: string; input: unknown; locale: Locale }
  | { type: 'stop' };

export type FromCore =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: CallResult }
  | { type: 'event'; message: EventMessage }
  | { type: 'fatal'; message: string };
