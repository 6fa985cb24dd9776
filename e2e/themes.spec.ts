// Light and dark: the app follows the system's colour scheme until someone picks one in the header,
// the pick is kept across a reload, and the charts (dashboard widgets, the Trends chart) redraw in
// the new theme at once — background and text — without a reload. Screenshots of the dark Overview,
// Trends and Alarms pages for a person to judge.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { AlarmsPage } from './pages/alarms-page.ts';
import { OverviewPage } from './pages/overview-page.ts';
import { TrendPage } from './pages/trend-page.ts';
import { ARTIFACTS, startServe, type ServeProcess } from '../scripts/serve-process.ts';

let serve: ServeProcess;

test.beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  serve = await startServe(['--lang', 'en']);
});

test.afterAll(async () => {
  await serve?.stop();
});

// base.css: --bg and --surface of each theme, as the browser reports them.
const PAGE_BACKGROUND = { light: 'rgb(242, 244, 247)', dark: 'rgb(17, 21, 27)' };
const CHART_BACKGROUND = { light: [255, 255, 255], dark: [26, 31, 39] };

interface CanvasLook {
  /** The canvas's top-left pixel: the chart's background. */
  background: number[];
  /** Luminance (0–1) of the darkest and the lightest pixel in the region: text shows as one of the two. */
  darkest: number;
  lightest: number;
}

/** Reads a chart's canvas: its background, and the extremes of a region (a share of its width and height). */
async function canvasLook(chart: Locator, region: { x: [number, number]; y: [number, number] }): Promise<CanvasLook> {
  return chart.locator('canvas').first().evaluate((canvas: HTMLCanvasElement, { x, y }) => {
    const context = canvas.getContext('2d')!;
    const [left, right] = x.map((share) => Math.floor(share * canvas.width));
    const [top, bottom] = y.map((share) => Math.floor(share * canvas.height));
    const pixels = context.getImageData(left!, top!, right! - left!, bottom! - top!).data;
    const light = (r: number, g: number, b: number) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    let darkest = 1;
    let lightest = 0;
    for (let at = 0; at < pixels.length; at += 4) {
      const value = light(pixels[at]!, pixels[at + 1]!, pixels[at + 2]!);
      darkest = Math.min(darkest, value);
      lightest = Math.max(lightest, value);
    }
    return { background: [...context.getImageData(1, 1, 1, 1).data.slice(0, 3)], darkest, lightest };
  }, region);
}

async function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

async function chooseTheme(page: Page, theme: 'system' | 'light' | 'dark'): Promise<void> {
  await page.getByTestId(`theme-${theme}`).click();
  await expect(page.getByTestId(`theme-${theme}`)).toHaveAttribute('aria-pressed', 'true');
}

test('dark from the header: page and charts change at once, and the choice survives a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 1160 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const overview = new OverviewPage(page);
  await overview.open(serve.url);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.getByTestId('theme-system')).toHaveAttribute('aria-pressed', 'true');
  expect(await pageBackground(page)).toBe(PAGE_BACKGROUND.light);

  // A chart of the Overview (the first widget drawn with ECharts) on the light surface.
  const chart = page.locator('.widget-chart').first();
  await expect(chart).toHaveAttribute('data-chart-theme', 'plantdesk-light', { timeout: 30_000 });
  await expect.poll(async () => (await canvasLook(chart, { x: [0, 1], y: [0, 1] })).background).toEqual(CHART_BACKGROUND.light);

  await chooseTheme(page, 'dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await pageBackground(page)).toBe(PAGE_BACKGROUND.dark);
  await expect(chart).toHaveAttribute('data-chart-theme', 'plantdesk-dark');
  await expect.poll(async () => (await canvasLook(chart, { x: [0, 1], y: [0, 1] })).background).toEqual(CHART_BACKGROUND.dark);
  expect(await page.evaluate(() => localStorage.getItem('plantdesk.theme'))).toBe('dark');
  await overview.waitForMachines();
  await page.screenshot({ path: path.join(ARTIFACTS, 'overview-dark.png') });

  await page.reload();
  await expect(overview.root).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByTestId('theme-dark')).toHaveAttribute('aria-pressed', 'true');
  expect(await pageBackground(page)).toBe(PAGE_BACKGROUND.dark);
  await expect(page.locator('.widget-chart').first()).toHaveAttribute('data-chart-theme', 'plantdesk-dark');
});

test('the Trends chart redraws its background and axis text in the theme chosen', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const trends = new TrendPage(page);
  await trends.open(serve.url);
  await trends.clearTags();
  await trends.pick('spindle speed', 'demo-cnc1.spindleSpeed');
  await trends.waitForChart();
  const canvas = page.getByTestId('history-canvas');
  // The left axis's labels: one line, so they are in the theme's grey, not a line's colour.
  const axisLabels = { x: [0, 0.06] as [number, number], y: [0.1, 0.7] as [number, number] };

  await expect.poll(async () => (await canvasLook(canvas, axisLabels)).background).toEqual(CHART_BACKGROUND.light);
  const light = await canvasLook(canvas, axisLabels);
  expect(light.darkest).toBeLessThan(0.5); // dark text on white

  await chooseTheme(page, 'dark');
  await expect(canvas).toHaveAttribute('data-chart-theme', 'plantdesk-dark');
  await expect.poll(async () => (await canvasLook(canvas, axisLabels)).background).toEqual(CHART_BACKGROUND.dark);
  const dark = await canvasLook(canvas, axisLabels);
  expect(dark.lightest).toBeGreaterThan(0.3); // light text on the dark surface
  expect(dark.lightest).toBeLessThan(0.95); // and nothing left of the white background

  await trends.pick('active power', 'demo-meter1.activePower');
  await trends.waitForChart();
  await page.screenshot({ path: path.join(ARTIFACTS, 'trends-dark.png') });
});

test('the system decides until someone chooses; Alarms in dark', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const alarms = new AlarmsPage(page);
  await alarms.open(serve.url);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await pageBackground(page)).toBe(PAGE_BACKGROUND.dark);

  // The system turns light (evening over): the app follows, as nobody chose.
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await alarms.causeDemoAlarm(serve.url, 'barrelOverheat');
  await expect(alarms.alarm('demo.imm1.barrelZone3.high')).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'alarms-dark.png') });
  await alarms.causeDemoAlarm(serve.url, 'normal');

  // Light chosen by hand wins over the dark system.
  await chooseTheme(page, 'light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await pageBackground(page)).toBe(PAGE_BACKGROUND.light);
});
