// Settings → Storage: back up the running database, see the backup listed, restore it (with the
// question first), and the plant keeps showing live values afterwards.
import path from 'node:path';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { LivePage } from './pages/live-page.ts';
import { StoragePage } from './pages/storage-page.ts';
import { ARTIFACTS, startServe, type ServeProcess } from '../scripts/serve-process.ts';

let serve: ServeProcess;

test.beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  serve = await startServe(['--lang', 'en']);
});

test.afterAll(async () => {
  await serve?.stop();
});

test('back up now, then restore that backup while live values keep coming', async ({ page }) => {
  const live = new LivePage(page);
  const storage = new StoragePage(page);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  await live.open(serve.url);
  await expect(live.device('demo-meter1')).toContainText(/Connected/);
  await expect(page.getByTestId('storage-banner')).toHaveCount(0);

  await storage.open();
  await expect(storage.state()).toHaveText('Working');
  const before = await storage.backups.count();
  await storage.backUpNow();
  await expect(storage.backups).toHaveCount(before + 1);

  await page.getByTestId('storage-restore-0').click();
  await expect(page.getByTestId('storage-restore')).toContainText('The current database is kept aside as a file; collection pauses for a moment.');
  await page.getByTestId('storage-restore-confirm').click();
  await expect(page.getByTestId('storage-result')).toHaveClass(/notice-good/, { timeout: 30_000 });
  await expect(storage.state()).toHaveText('Working');
  await storage.close();

  await live.selectDevice('demo-meter1');
  const power = live.value('demo-meter1.activePower');
  await expect(power).toHaveText(/\d/);
  const value = (await power.textContent()) ?? '';
  await live.waitForValueChange('demo-meter1.activePower', value);
  await expect(page.getByTestId('storage-banner')).toHaveCount(0);
});

test('the Storage panel in Chinese', async ({ page }) => {
  const storage = new StoragePage(page);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'zh-CN'));
  await page.goto(serve.url);
  await expect(page.getByTestId('settings-open')).toHaveText('设置');
  await storage.open();
  await expect(storage.panel).toContainText('存储');
  await page.screenshot({ path: path.join(ARTIFACTS, 'storage-zh-CN.png') });
});
