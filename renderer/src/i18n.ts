// The UI's two languages: i18next over the same resources the core renders its messages from
// (shared/i18n). Keys are flat ("devices.title"), so i18next must not split them at dots.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, LOCALES, pickLocale, RESOURCES, zhCN, type Locale } from '../../shared/i18n/index.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
    keySeparator: false;
    nsSeparator: false;
  }
}

const STORAGE_KEY = 'plantdesk.locale';

function savedLocale(): Locale | null {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved && (LOCALES as readonly string[]).includes(saved) ? (saved as Locale) : null;
  } catch {
    return null; // storage disabled (private mode, file:// in some browsers)
  }
}

/** The language at start: the user's saved choice, else the browser's, Chinese first. */
function initialLocale(): Locale {
  return savedLocale() ?? pickLocale(navigator.languages?.length ? navigator.languages.join(',') : navigator.language);
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: RESOURCES.en } },
  lng: initialLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

function reflectLanguage(language: string): void {
  document.documentElement.lang = language;
  document.title = i18n.t('app.title');
}
reflectLanguage(i18n.language);
i18n.on('languageChanged', reflectLanguage);

/** The current UI language as one of the app's locales. */
export function currentLocale(): Locale {
  return pickLocale(i18n.language);
}

/** Switches the UI language and remembers the choice on this computer. */
export function switchLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered; the switch still applies to this session
  }
  void i18n.changeLanguage(locale);
}
