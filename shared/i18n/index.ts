// The app's two languages and a tiny renderer of messages, shared by the core (error messages in the
// caller's language) and the renderer (which hands the same resources to i18next).
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export { en, zhCN, type MessageKey };

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const RESOURCES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

/** Picks a supported locale from a BCP 47 tag or an Accept-Language header; Chinese first. */
export function pickLocale(requested: string | undefined | null): Locale {
  if (!requested) return 'zh-CN';
  for (const part of requested.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

/**
 * Parts of sentences a message may carry as a parameter, translated with it. Only these: any other
 * parameter is data (a call name, a file, a device) even when it looks like a key.
 */
const FRAGMENT_PREFIXES = ['modbus.advice.', 'storage.reason.', 'map.reason.', 'address.', 'export.state.'] as const;

export function isMessageFragment(value: unknown): value is MessageKey {
  return typeof value === 'string' && FRAGMENT_PREFIXES.some((prefix) => value.startsWith(prefix)) && Object.hasOwn(en, value);
}

/** Renders a message with `{{name}}` placeholders, as i18next does. */
export function translate(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = RESOURCES[locale][key] ?? en[key];
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    // A parameter that is a message fragment (advice, a reason) is rendered in the same language.
    return isMessageFragment(value) ? translate(locale, value) : value;
  });
}
