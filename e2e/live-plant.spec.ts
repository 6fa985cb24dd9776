// A new user's first minute: `npm run serve`, open the page, see the demo plant live.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { LivePage } from './pages/live-page.ts';
import { ARTIFACTS, startServe, type ServeProcess } from '../scripts/serve-process.ts';

let serve: ServeProcess;

test.beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  serve = await startServe(['--lang', 'en']);
});

test.afterAll(async () => {
  await serve?.stop();
});

test('the demo plant shows live values and a trend', async ({ page }) => {
  const live = new LivePage(page);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  await live.open(serve.url);

  for (const id of ['demo-cnc1', 'demo-imm1', 'demo-meter1']) {
    await expect(live.device(id)).toBeVisible();
    await expect(live.device(id)).toContainText(/Connected/);
  }
  const firstValueAt = performance.now();
  await live.selectDevice('demo-meter1');
  const power = live.value('demo-meter1.activePower');
  await expect(power).toHaveText(/\d/);
  const liveSeconds = (performance.now() - serve.spawnedAt) / 1000;
  test.info().annotations.push({ type: 'serve-to-live-values', description: `${liveSeconds.toFixed(1)} s` });
  console.log(`npm run serve → live values on screen: ${liveSeconds.toFixed(1)} s (page ${((performance.now() - firstValueAt) / 1000).toFixed(1)} s)`);

  const before = (await power.textContent()) ?? '';
  const after = await live.waitForValueChange('demo-meter1.activePower', before);
  expect(after).not.toBe(before);

  await live.waitForTrend();
  await expect.poll(() => live.trendInk(), { timeout: 15_000 }).toBeGreaterThan(0.002);
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-plant-en.png') });
});

test('the page speaks Chinese and the errors are sentences', async ({ page }) => {
  const live = new LivePage(page);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'zh-CN'));
  await live.open(serve.url);
  await expect(live.device('demo-cnc1')).toContainText('已连接');
  await live.selectDevice('demo-cnc1');
  await expect(live.value('demo-cnc1.spindleSpeed')).toHaveText(/\d/);
  await live.waitForTrend();
  await page.screenshot({ path: path.join(ARTIFACTS, 'live-plant-zh-CN.png') });

  const response = await page.request.post(`${serve.url}/api/historian.query`, {
    data: { pointIds: ['demo-cnc1.spindleSpeed'], from: 10, to: 5 },
    headers: { 'Accept-Language': 'zh-CN' },
  });
  expect(response.status()).toBe(400);
  expect((await response.json()).error.message).toContain('时间范围');
});
