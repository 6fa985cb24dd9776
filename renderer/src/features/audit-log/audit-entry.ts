// What an audit entry's action code says in words: the codes the core records, as message keys.
import type { MessageKey } from '../../../../shared/i18n/index.ts';

const ACTIONS: Record<string, MessageKey> = {
  'point.write': 'audit.action.pointWrite',
};

/** The message key of an action code, or null for a code this UI does not know (shown as it is). */
export function auditActionKey(action: string): MessageKey | null {
  return Object.hasOwn(ACTIONS, action) ? ACTIONS[action]! : null;
}
