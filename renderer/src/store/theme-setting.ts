// The app's colour theme as a setting (follow the system, or always light or dark) and what it comes
// to on this computer. Pure, so the choice can be tested without a browser.

export const THEME_SETTINGS = ['system', 'light', 'dark'] as const;
export type ThemeSetting = (typeof THEME_SETTINGS)[number];
export type ResolvedTheme = 'light' | 'dark';

/** Where the choice is remembered, beside `plantdesk.locale`. */
export const THEME_STORAGE_KEY = 'plantdesk.theme';

/** A saved value read back: anything unknown (or nothing) means "follow the system". */
export function parseThemeSetting(saved: string | null | undefined): ThemeSetting {
  return (THEME_SETTINGS as readonly string[]).includes(saved ?? '') ? (saved as ThemeSetting) : 'system';
}

/**
 * The theme to show for a setting, given whether the system asks for dark.
 * @example resolveTheme('system', true) // 'dark'
 */
export function resolveTheme(setting: ThemeSetting, systemPrefersDark: boolean): ResolvedTheme {
  if (setting === 'system') return systemPrefersDark ? 'dark' : 'light';
  return setting;
}
