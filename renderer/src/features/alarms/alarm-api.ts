// The alarm calls and events through the one bridge, typed by their own contract
// (shared/contract/alarm-calls.ts), so this feature does not depend on how the contract's full list
// of calls is assembled.
import type {
  AlarmCallInput,
  AlarmCallName,
  AlarmCallOutput,
  AlarmEventName,
  AlarmEventPayload,
} from '../../../../shared/contract/alarm-calls.ts';
import { bridge } from '../../api/index.ts';

/** Calls an alarm call of the contract. */
export function callAlarms<Name extends AlarmCallName>(name: Name, input: AlarmCallInput<Name>): Promise<AlarmCallOutput<Name>> {
  return bridge.call(name as never, input as never) as Promise<AlarmCallOutput<Name>>;
}

/** Subscribes to an alarm event; returns the function that unsubscribes. */
export function onAlarmEvent<Name extends AlarmEventName>(event: Name, listener: (payload: AlarmEventPayload<Name>) => void): () => void {
  return bridge.on(event as never, listener as never);
}
