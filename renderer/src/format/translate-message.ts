// Messages the core sends as a key of shared/i18n and parameters (a device's lastError, a register
// map problem), in the UI language. A parameter may be a message fragment (params.advice =
// 'modbus.advice.address'); it is translated too, by the same rule as the core's translate().
import { en, isMessageFragment, type MessageKey } from '../../../shared/i18n/index.ts';

/** A translate function as i18next's t behaves at run time, with the app's keys. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A message as a key and its parameters; the key is a string because a newer core may send keys this UI lacks. */
export interface Message {
  key: string;
  params?: Record<string, string | number>;
}

/** True when `key` is one of the app's message keys. */
export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.hasOwn(en, key);
}

/**
 * A message in the UI language; parameters that are message keys are translated first. An unknown
 * key shows as itself rather than as nothing.
 * @example translateMessage(t, { key: 'error.deviceException', params: { advice: 'modbus.advice.address', ... } })
 */
export function translateMessage(t: Translate, message: Message): string {
  if (!isMessageKey(message.key)) return message.key;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) {
    params[name] = isMessageFragment(value) ? t(value) : value;
  }
  return t(message.key, params);
}
