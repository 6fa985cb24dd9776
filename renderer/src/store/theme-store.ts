// The colour theme: the user's setting (remembered on this computer), the system's preference, and
// the theme they come to, written on <html data-theme> so the CSS variables of styles/base.css follow.
import { create } from 'zustand';
import { parseThemeSetting, resolveTheme, THEME_STORAGE_KEY, type ResolvedTheme, type ThemeSetting } from './theme-setting.ts';

interface ThemeState {
  setting: ThemeSetting;
  /** What the setting comes to now: light or dark. */
  resolved: ResolvedTheme;
  setTheme(setting: ThemeSetting): void;
}

const darkQuery = typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

function savedSetting(): ThemeSetting {
  try {
    return parseThemeSetting(localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    return 'system'; // storage disabled
  }
}

function reflectTheme(theme: ResolvedTheme): void {
  if (typeof document === 'undefined') return;
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
}

const initialSetting = savedSetting();

export const useThemeStore = create<ThemeState>()((set) => ({
  setting: initialSetting,
  resolved: resolveTheme(initialSetting, darkQuery?.matches ?? false),
  setTheme: (setting) => {
    try {
      if (setting === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, setting);
    } catch {
      // storage disabled: the choice lasts until the window closes
    }
    set({ setting, resolved: resolveTheme(setting, darkQuery?.matches ?? false) });
  },
}));

reflectTheme(useThemeStore.getState().resolved);
useThemeStore.subscribe((state, previous) => {
  if (state.resolved !== previous.resolved) reflectTheme(state.resolved);
});
// The system switching to dark at dusk moves the app along when it follows the system.
darkQuery?.addEventListener('change', (event) => {
  const { setting, resolved } = useThemeStore.getState();
  const next = resolveTheme(setting, event.matches);
  if (next !== resolved) useThemeStore.setState({ resolved: next });
});
