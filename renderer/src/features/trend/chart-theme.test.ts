import { describe, expect, it } from 'vitest';
import { CHART_FONT, CHART_PALETTES, CHART_THEME_NAMES, chartTheme } from './chart-theme.ts';
import { contrastRatio, cssVariables } from './color-contrast.ts';
import { SERIES_COLORS_DARK, seriesColor } from './series-colors.ts';
import { STATE_COLORS_DARK } from '../widgets/kpi-values.ts';

// The stylesheets as written. Vitest hands CSS imports (even ?raw) over empty, and the renderer's
// tsconfig has no Node types, so the file is read through Node's own module loader, typed here.
const fs = (globalThis as unknown as { process: { getBuiltinModule(id: 'node:fs'): { readFileSync(path: URL, encoding: 'utf8'): string } } }).process.getBuiltinModule('node:fs');
const baseCss = fs.readFileSync(new URL('../../styles/base.css', import.meta.url), 'utf8');
const alarmsCss = fs.readFileSync(new URL('../alarms/alarms.css', import.meta.url), 'utf8');

const themes = ['light', 'dark'] as const;
const variables = (theme: (typeof themes)[number]) => ({ ...cssVariables(baseCss, theme), ...cssVariables(alarmsCss, theme) });

describe('chart themes', () => {
  it('take the same surface, text and border colours as the app', () => {
    for (const theme of themes) {
      const css = variables(theme);
      const palette = CHART_PALETTES[theme];
      expect([palette.surface, palette.text, palette.textMuted, palette.border]).toEqual([css['--surface'], css['--text'], css['--text-muted'], css['--border']]);
    }
  });

  it('give every chart its background, readable text and a font stack that draws Chinese', () => {
    for (const theme of themes) {
      const palette = CHART_PALETTES[theme];
      const option = chartTheme(palette) as {
        backgroundColor: string;
        textStyle: { color: string; fontFamily: string };
        valueAxis: { axisLabel: { color: string } };
        gauge: { detail: { color: string } };
        bar: { label: { color: string } };
      };
      expect(option.backgroundColor).toBe(palette.surface);
      expect(option.textStyle.fontFamily).toBe(CHART_FONT);
      for (const text of [option.textStyle.color, option.valueAxis.axisLabel.color, option.gauge.detail.color, option.bar.label.color]) {
        expect(contrastRatio(text, option.backgroundColor)).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(CHART_FONT).toMatch(/"Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei".*sans-serif$/);
    expect(CHART_THEME_NAMES.light).not.toBe(CHART_THEME_NAMES.dark);
  });

  it('differ between light and dark where the eye notices: background and text', () => {
    expect(CHART_PALETTES.dark.surface).not.toBe(CHART_PALETTES.light.surface);
    expect(contrastRatio(CHART_PALETTES.dark.surface, '#000000')).toBeLessThan(contrastRatio(CHART_PALETTES.light.surface, '#000000'));
  });
});

describe('line and state colours in the dark theme', () => {
  it('keep line colours (and the axis labels drawn in them) readable on the dark surface', () => {
    for (const color of SERIES_COLORS_DARK) expect(contrastRatio(color, CHART_PALETTES.dark.surface)).toBeGreaterThanOrEqual(4.5);
    expect(seriesColor(0, 'dark')).toBe(SERIES_COLORS_DARK[0]);
    expect(seriesColor(9, 'light')).toBe(seriesColor(1));
  });

  it('let a state bar stand out from the surface (3:1 for marks), except "unknown", which recedes', () => {
    for (const [state, color] of Object.entries(STATE_COLORS_DARK)) {
      if (state !== 'unknown') expect(contrastRatio(color, CHART_PALETTES.dark.surface), state).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('app colours', () => {
  // Text on the background it is drawn on: states, severities, muted text, buttons.
  const pairs: [string, string][] = [
    ['--text', '--bg'],
    ['--text', '--surface'],
    ['--text-muted', '--surface'],
    ['--text-muted', '--surface-muted'],
    ['--accent', '--surface'],
    ['--on-accent', '--accent'],
    ['--on-bad', '--bad'],
    ['--good', '--good-bg'],
    ['--warn', '--warn-bg'],
    ['--bad', '--bad-bg'],
    ['--off', '--off-bg'],
    ['--good-text', '--surface'],
    ['--warn-text', '--surface'],
    ['--bad-text', '--surface'],
    ['--accent-text', '--accent-soft'],
    ['--demo-text', '--demo-bg'],
    ['--severity-critical', '--severity-critical-bg'],
    ['--on-severity', '--severity-critical'],
    ['--severity-high', '--severity-high-bg'],
    ['--severity-medium', '--severity-medium-bg'],
    ['--on-severity-medium', '--severity-medium-mark'],
    ['--severity-low', '--severity-low-bg'],
    ['--severity-low', '--surface'],
  ];

  for (const theme of themes) {
    it(`meet WCAG AA (4.5:1) for text in the ${theme} theme`, () => {
      const css = variables(theme);
      const failing = pairs
        .map(([text, background]) => ({ text, background, ratio: contrastRatio(css[text]!, css[background]!) }))
        .filter(({ ratio }) => !(ratio >= 4.5));
      expect(failing).toEqual([]);
    });
  }
});
