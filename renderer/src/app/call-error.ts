// A failed call as the sentence to show inline (in a form or a dialog): the core's own message,
// already in the user's language; anything else is a bug, logged, and shown as the generic sentence.
import { CallFailedError } from '../../../shared/contract/bridge.ts';

export function callErrorMessage(error: unknown, fallback: string): string {
  if (error instanceof CallFailedError) return error.message;
  console.error(error);
  return fallback;
}
