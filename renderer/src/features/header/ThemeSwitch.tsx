// System / Light / Dark: the colour theme, beside the language. "System" follows the computer's own
// setting (and changes with it); a choice is remembered on this computer (plantdesk.theme). Icons
// with their names as tooltip and label, so the header still fits a 1024-wide tablet in Chinese.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { THEME_SETTINGS, useThemeStore, type ThemeSetting } from '../../store/index.ts';

const icon = { width: 14, height: 14, viewBox: '0 0 16 16', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': true } as const;

const ICONS: Record<ThemeSetting, ReactNode> = {
  system: (
    <svg {...icon}>
      <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
      <path d="M5.5 13.75h5M8 11v2.75" />
    </svg>
  ),
  light: (
    <svg {...icon}>
      <circle cx="8" cy="8" r="2.75" />
      <path d="M8 1.25v1.5M8 13.25v1.5M1.25 8h1.5M13.25 8h1.5M3.2 3.2l1.1 1.1M11.7 11.7l1.1 1.1M3.2 12.8l1.1-1.1M11.7 4.3l1.1-1.1" />
    </svg>
  ),
  dark: (
    <svg {...icon}>
      <path d="M13.5 9.6A5.75 5.75 0 1 1 6.4 2.5a4.6 4.6 0 0 0 7.1 7.1Z" />
    </svg>
  ),
};

export function ThemeSwitch() {
  const { t } = useTranslation();
  const setting = useThemeStore((state) => state.setting);
  const setTheme = useThemeStore((state) => state.setTheme);
  return (
    <div className="language-switch theme-switch" role="group" aria-label={t('app.theme')} data-testid="theme-switch">
      {THEME_SETTINGS.map((choice) => (
        <button
          key={choice}
          type="button"
          className={choice === setting ? 'is-active' : undefined}
          aria-pressed={choice === setting}
          aria-label={t(`app.themeName.${choice}`)}
          title={`${t('app.theme')}: ${t(`app.themeName.${choice}`)}`}
          onClick={() => setTheme(choice)}
          data-testid={`theme-${choice}`}
        >
          {ICONS[choice]}
        </button>
      ))}
    </div>
  );
}
