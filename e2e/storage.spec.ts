// Settings → Storage: back up the running database, see the backup listed, restore it (with the
// question first), and the plant keeps showing live values afterwards; change how long history is
// kept and see the saved value.
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

test('change how long history is kept, and see the saved value come back from the core', async ({ page }) => {
  const storage = new StoragePage(page);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  await page.goto(serve.url);
  await storage.open();
  const retention = storage.retention();
  await expect(storage.form('raw')).toContainText('Raw samples');
  await expect(storage.form('1m')).toContainText('1-minute summaries');
  await expect(storage.form('1h')).toContainText('1-hour summaries');
  await expect(page.getByTestId('storage-history-share')).toContainText(/History takes about .+ of the .+ database on disk\./);
  await expect(page.getByTestId('storage-freeable')).toHaveText(/older than the saved settings keep/);
  // The defaults: 90 days of raw samples, two years of 1-minute summaries, 1-hour summaries for ever.
  await expect(storage.retentionDays('analog', 'rawDays')).toHaveValue('90');
  await expect(storage.retentionDays('analog', 'minuteDays')).toHaveValue('730');
  await expect(storage.retentionForever('analog', 'hourDays')).toBeChecked();
  await expect(storage.retentionDays('analog', 'hourDays')).toBeDisabled();

  // A coarser form kept for less time than a finer one is refused in words, and nothing is saved.
  await storage.retentionDays('analog', 'minuteDays').fill('30');
  await storage.retentionDays('analog', 'rawDays').fill('60');
  await page.getByTestId('storage-retention-save').click();
  await expect(retention).toContainText('Measurements: keep each coarser form at least as long as the finer one');

  await storage.retentionDays('analog', 'rawDays').fill('14');
  await storage.retentionForever('counter', 'hourDays').uncheck();
  await expect(storage.retentionDays('counter', 'hourDays')).toHaveValue('3650');
  await storage.retentionDays('counter', 'hourDays').fill('1825');
  const result = await storage.saveRetention();
  await expect(result).toHaveClass(/notice-good/);
  await expect(result).toHaveText(/Saved\. History older than this is removed in the background/);
  // Tall enough for the whole section to show in the dialog.
  await page.setViewportSize({ width: 1366, height: 1500 });
  await retention.screenshot({ path: path.join(ARTIFACTS, 'storage-retention-en.png') });

  // Closed and opened again, the panel shows what the core has stored.
  await storage.close();
  await storage.open();
  await expect(storage.retentionDays('analog', 'rawDays')).toHaveValue('14');
  await expect(storage.retentionDays('analog', 'minuteDays')).toHaveValue('30');
  await expect(storage.retentionForever('counter', 'hourDays')).not.toBeChecked();
  await expect(storage.retentionDays('counter', 'hourDays')).toHaveValue('1825');
  const stored = await (await fetch(`${serve.url}/api/historian.retention`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
  expect(stored.settings).toMatchObject({ analog: { rawDays: 14, minuteDays: 30, hourDays: null }, counter: { rawDays: 90, minuteDays: 730, hourDays: 1825 } });
});

test('the Storage panel in Chinese', async ({ page }) => {
  const storage = new StoragePage(page);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'zh-CN'));
  await page.goto(serve.url);
  await expect(page.getByTestId('settings-open')).toHaveText('设置');
  await storage.open();
  await expect(storage.panel).toContainText('存储');
  await page.screenshot({ path: path.join(ARTIFACTS, 'storage-zh-CN.png') });
  await expect(storage.form('raw')).toContainText('原始采样');
  await expect(storage.retention()).toContainText('保留多久');
  await expect(storage.retentionForever('analog', 'hourDays')).toBeChecked();
  await page.setViewportSize({ width: 1366, height: 1500 });
  await storage.retention().screenshot({ path: path.join(ARTIFACTS, 'storage-retention-zh-CN.png') });
});
