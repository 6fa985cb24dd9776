// zod's own messages in the caller's language, for every place the core validates user input.
import { z } from 'zod';
import type { Locale } from '../../shared/index.ts';

const LOCALES: Record<Locale, () => { localeError: z.core.$ZodErrorMap }> = {
  'zh-CN': z.locales.zhCN,
  en: z.locales.en,
};

export function zodErrorMap(locale: Locale): z.core.$ZodErrorMap {
  return LOCALES[locale]().localeError;
}
