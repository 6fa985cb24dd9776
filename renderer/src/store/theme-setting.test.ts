import { describe, expect, it } from 'vitest';
import { parseThemeSetting, resolveTheme } from './theme-setting.ts';

describe('theme setting', () => {
  it('follows the system unless the user chose light or dark', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads back what was saved, and anything else as "system"', () => {
    expect(parseThemeSetting('dark')).toBe('dark');
    expect(parseThemeSetting('light')).toBe('light');
    expect(parseThemeSetting('system')).toBe('system');
    expect(parseThemeSetting(null)).toBe('system');
    expect(parseThemeSetting('blue')).toBe('system');
    expect(parseThemeSetting('')).toBe('system');
  });
});
