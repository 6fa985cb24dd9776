// 中文 / English: each language named in itself, so anyone can find their own.
import { useTranslation } from 'react-i18next';
import { LOCALES } from '../../../../shared/i18n/index.ts';
import { currentLocale, switchLocale } from '../../i18n.ts';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const active = currentLocale();
  return (
    <div className="language-switch" role="group" aria-label={t('app.language')}>
      {LOCALES.map((locale) => (
        <button
          key={locale}
          type="button"
          lang={locale}
          className={locale === active ? 'is-active' : undefined}
          aria-pressed={locale === active}
          onClick={() => switchLocale(locale)}
        >
          {t(`app.languageName.${locale}`)}
        </button>
      ))}
    </div>
  );
}
