// Small wordings the Marketplace screens share: a category's name, a template's name and summary in
// the UI language, and dates in the user's locale.
import type { TFunction } from 'i18next';
import { en } from '../../../../shared/i18n/index.ts';

/** A category's name in the UI language; a category this UI does not know shows as its id. */
export function categoryLabel(slug: string, t: TFunction): string {
  const key = `store.category.${slug}`;
  return Object.hasOwn(en, key) ? t(key as 'store.category.cnc') : slug;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A day in the user's locale: "2026/11/24", "11/24/2026". */
export function formatDay(ts: number, locale: string): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(locale, format);
  }
  return format.format(ts);
}
