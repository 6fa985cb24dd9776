// Turns any failure into a banner a plant manager can read: the core's localized message for a failed
// call, a generic sentence (and the details in the console) for anything else. Never a stack trace.
import { CallFailedError } from '../../../shared/contract/bridge.ts';
import { i18n } from '../i18n.ts';
import { showError, useAppStore } from '../store/index.ts';

export function reportError(error: unknown): void {
  if (error instanceof CallFailedError) {
    // While the live link is down the "connection lost" banner already says why calls fail.
    if (error.body.code === 'unavailable' && useAppStore.getState().connection === 'closed') return;
    showError(error.message);
    return;
  }
  console.error(error);
  showError(i18n.t('error.internal'));
}
