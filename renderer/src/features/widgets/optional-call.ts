// Calls to services that may not be in this PlantDesk yet (the KPI engine, alarms): the dashboard is
// written against their contract, and shows "not available" instead of failing while the core does
// not serve them. A core that does not know a call answers not_found; that is the only sign needed.
import { CallFailedError } from '../../../../shared/contract/bridge.ts';
import type { ErrorCode } from '../../../../shared/errors.ts';
import { bridge } from '../../api/index.ts';

export type OptionalResult<T> =
  | { kind: 'ok'; value: T }
  /** The core does not serve the call (yet). */
  | { kind: 'unavailable' }
  /** It does, and the call failed: the core's message, in the UI language. */
  | { kind: 'failed'; code: ErrorCode; message: string };

/** A call by name, whether or not the contract this renderer was built with declares it. */
export function callByName(name: string, input: unknown): Promise<unknown> {
  return (bridge.call as unknown as (name: string, input: unknown) => Promise<unknown>)(name, input);
}

/** The outcome of a call that may be unknown to the core, never a rejection. */
export async function callOptional(name: string, input: unknown): Promise<OptionalResult<unknown>> {
  try {
    return { kind: 'ok', value: await callByName(name, input) };
  } catch (error) {
    return outcomeOfFailure(error);
  }
}

/** A failed call as an outcome: not_found of the call itself means the service is not there. */
export function outcomeOfFailure(error: unknown): OptionalResult<never> {
  if (error instanceof CallFailedError) {
    if (error.body.code === 'not_found') return { kind: 'unavailable' };
    return { kind: 'failed', code: error.body.code, message: error.message };
  }
  console.error(error);
  return { kind: 'failed', code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
