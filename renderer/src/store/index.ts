// The renderer's state, one zustand store per concern.
export { useAppStore, coreNow, type AppInfo } from './app-store.ts';
export { useDevicesStore } from './devices-store.ts';
export { useErrorsStore, showError, type ErrorBanner } from './errors-store.ts';
export { usePointsStore } from './points-store.ts';
export { useTrendStore, trendSlots, toggleSlot, MAX_TREND_POINTS, type TrendSlots, type TrendStatus } from './trend-store.ts';
export {
  TREND_WINDOW_MS,
  defaultTrendPoints,
  hasTrendData,
  looksLikeStateCode,
  mergeLiveSamples,
  windowFromSeries,
  drawnPoints,
  valueAt,
  type TrendSample,
  type TrendWindows,
} from './trend-window.ts';
export { useCommissioningStore, COMMISSIONING_TABS, type CommissioningTab, type EditingSession } from './commissioning-store.ts';
export { useSettingsStore } from './settings-store.ts';
export { useThemeStore } from './theme-store.ts';
export { THEME_SETTINGS, THEME_STORAGE_KEY, parseThemeSetting, resolveTheme, type ResolvedTheme, type ThemeSetting } from './theme-setting.ts';
