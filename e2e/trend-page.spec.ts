// The Trends page of the demo plant: two points of different devices and units on one chart, every
// range, a zoom with the mouse wheel, the values at the cursor, and an export to CSV that is read back.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LivePage } from './pages/live-page.ts';
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

const SPEED = 'demo-cnc1.spindleSpeed';
const POWER = 'demo-meter1.activePower';

test('two points with different units: ranges, zoom, cursor values and a CSV export', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const trends = new TrendPage(page);
  await trends.open(serve.url);
  await expect(page.getByTestId('nav-trends')).toHaveAttribute('aria-current', 'page');

  await trends.clearTags();
  await expect(page.getByTestId('history-hint')).toHaveText('Choose up to 8 points on the left to draw them.');
  await trends.pick('spindle speed', SPEED);
  await trends.pick('active power', POWER);
  await expect(page.getByTestId('tag-count')).toHaveText('2 of 8');
  await trends.waitForChart();
  await expect(trends.chart).toHaveAttribute('data-units', 'rpm|kW');
  await expect(page.getByTestId('resolution')).toContainText('Raw samples');
  await expect(page.getByTestId('trends-live')).toBeVisible();

  // Every range reads the history again and keeps following live.
  const HOUR = 3_600_000;
  for (const [preset, text] of [
    ['shift', /^(Day|Night) shift · .*\d\d:00 – now$/],
    ['today', /^Today · .*00:00 – now$/],
    ['last24h', / – now$/],
    ['last7d', / – now$/],
    ['lastHour', /^\d\d:\d\d – now$/],
  ] as const) {
    await trends.chooseRange(preset);
    await expect(page.getByTestId('range-text')).toHaveText(text);
    await trends.waitForChart();
    const view = await trends.view();
    const span = view.to - view.from;
    if (preset === 'last24h') expect(span).toBe(24 * HOUR);
    if (preset === 'last7d') expect(span).toBe(7 * 24 * HOUR);
    if (preset === 'lastHour') expect(span).toBe(HOUR);
  }

  // Zoom into the newest part with the wheel: the view narrows and keeps following live. (A fresh
  // demo plant has only raw samples, which are all loaded already: finer history is not read again;
  // that rule, and reading rollups for long ranges, is covered by view-query.test.ts.)
  expect(Number(await trends.chart.getAttribute('data-loaded-points'))).toBeGreaterThan(100);
  await trends.zoomIn(0.97, 20);
  await expect(page.getByTestId('zoom-text')).toBeVisible();
  await trends.waitForChart();
  const zoomed = await trends.view();
  expect(zoomed.to - zoomed.from).toBeLessThan(HOUR / 4);
  expect(Number(await trends.chart.getAttribute('data-loaded-from'))).toBeLessThanOrEqual(zoomed.from);
  await expect(page.getByTestId('resolution')).toContainText('Raw samples');
  await expect(page.getByTestId('trends-live')).toBeVisible();

  await page.getByTestId('zoom-reset').click();
  await expect(page.getByTestId('zoom-text')).toHaveCount(0);
  await expect.poll(async () => (await trends.view()).to - (await trends.view()).from).toBe(HOUR);

  // A custom range from shortly before the plant started, until now: the lines fill the chart.
  const from = Date.now() - (performance.now() - serve.spawnedAt) - 60_000;
  await trends.chooseCustom(from);
  await expect(page.getByTestId('range-text')).toHaveText(/^\d\d:\d\d – now$/);
  await trends.waitForChart();
  await expect(page.getByTestId('trends-live')).toBeVisible();
  const custom = await trends.view();

  // Values at the cursor: local time, then each line with its value and unit.
  const tooltip = await trends.tooltipAt(0.97);
  await expect(tooltip).toContainText(/\d\d:\d\d:\d\d/);
  await expect(tooltip).toContainText(/Spindle speed\s*[\d,]+\s*rpm/);
  await expect(tooltip).toContainText(/Active power\s*[\d,.]+\s*kW/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'trend-page.png') });

  // Export what is on screen to CSV, and read the file.
  const { download, text } = await trends.exportFile({ format: 'CSV (.csv)' });
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  await expect(trends.exportDialog.getByTestId('export-done')).toContainText(download.suggestedFilename());
  await page.screenshot({ path: path.join(ARTIFACTS, 'trend-export-done.png') });
  const rows = text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  expect(rows[0]).toMatch(/^Time \([^)]+\),Spindle speed \(rpm\),Active power \(kW\)$/);
  expect(rows.length).toBeGreaterThan(3);
  const values = rows.slice(1).map((row) => row.split(','));
  for (const [time] of values) expect(time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  expect(values.some(([, speed]) => speed !== '' && Number.isFinite(Number(speed)))).toBe(true);
  expect(values.some(([, , power]) => power !== '' && Number(power) > 0)).toBe(true);
  // The file holds the range on screen, in local time.
  const first = new Date(values[0]![0]!.replace(' ', 'T')).getTime();
  expect(first).toBeGreaterThanOrEqual(custom.from - 60_000);
  expect(first).toBeLessThanOrEqual(custom.to);
  await page.getByTestId('export-dialog').getByRole('button', { name: 'Close' }).last().click();
  await expect(trends.exportDialog).toHaveCount(0);
});

test('the choice of points outlives a visit to the live view, which still works', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const trends = new TrendPage(page);
  await trends.open(serve.url);
  await trends.clearTags();
  await trends.pick('barrel zone 1', 'demo-imm1.barrelZone1');
  await trends.waitForChart();

  await page.getByTestId('nav-live').click();
  const live = new LivePage(page);
  await live.selectDevice('demo-meter1');
  await expect(live.value(POWER)).toHaveText(/\d/);
  await live.waitForTrend();

  await page.getByTestId('nav-trends').click();
  await expect(trends.legend('demo-imm1.barrelZone1')).toBeVisible();
  await expect(trends.tag('demo-imm1.barrelZone1').locator('input')).toBeChecked();
  await trends.waitForChart();
  await page.goBack();
  await expect(page.getByTestId('nav-live')).toHaveAttribute('aria-current', 'page');
});

test('the Trends page and its export window in Chinese, on a 1024-wide tablet', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 720 });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'zh-CN'));
  const trends = new TrendPage(page);
  await trends.open(serve.url);
  await expect(page.getByTestId('nav-trends')).toHaveText('历史趋势');
  await trends.clearTags();
  // The demo plant was named in English at its first start: its names stay English.
  await trends.pick('spindle', SPEED);
  await trends.pick('mould', 'demo-imm1.mouldTemp');
  await trends.chooseRange('shift');
  await expect(page.getByTestId('range-text')).toHaveText(/^(白班|夜班) · /);
  await trends.waitForChart();
  // Nothing sticks out of the window.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await page.getByTestId('range-custom').click();
  await expect(page.getByTestId('range-custom-form')).toContainText('至现在');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
  await page.screenshot({ path: path.join(ARTIFACTS, 'trend-page-zh-CN-1024.png') });
  await page.getByTestId('range-custom-form').getByRole('button', { name: '取消' }).click();
  await page.getByTestId('export-open').click();
  await expect(trends.exportDialog).toContainText('导出历史数据');
  await expect(trends.exportDialog).toContainText('每个数据点一列');
  await page.screenshot({ path: path.join(ARTIFACTS, 'trend-export-zh-CN.png') });
});
