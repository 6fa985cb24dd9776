// How long a user waits: from `npm run serve` to the app answering, to live values in the API, and
// to live values drawn in Chromium (the renderer is built beforehand, as "once built" means).
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { buildRenderer } from '../scripts/build.ts';
import { startServe } from '../scripts/serve-process.ts';
import type { Benchmark, Figure } from './run.ts';

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

async function pollUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`nothing within ${timeoutMs} ms`);
}

export const benchmark: Benchmark = {
  title: 'Start-up: npm run serve to live values (demo plant)',
  async run() {
    await buildRenderer();
    const serve = await startServe(['--lang', 'en']);
    try {
      const listening = performance.now() - serve.spawnedAt;
      await pollUntil(async () => {
        const response = await fetch(`${serve.url}/api/points.list`, { method: 'POST' });
        const points = (await response.json()) as { latest: { quality: string } | null }[];
        return points.some((point) => point.latest?.quality === 'good') ? true : undefined;
      }, 30_000);
      const apiLive = performance.now() - serve.spawnedAt;
      const figures: Figure[] = [
        { name: 'serve → listening', value: listening / 1000, unit: 's' },
        { name: 'serve → first live value in the API', value: apiLive / 1000, unit: 's' },
      ];
      if (fs.existsSync(CHROMIUM)) {
        const browser = await chromium.launch({
          executablePath: CHROMIUM,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
        });
        try {
          const page = await browser.newPage();
          const opened = performance.now();
          await page.goto(serve.url);
          await page.locator('[data-testid^="value-"]').filter({ hasText: /\d/ }).first().waitFor({ timeout: 30_000 });
          const onScreen = performance.now();
          figures.push(
            { name: 'page opened → live values on screen', value: (onScreen - opened) / 1000, unit: 's' },
            { name: 'serve → live values on screen', value: (onScreen - serve.spawnedAt) / 1000, unit: 's', target: '≤ 5 s' },
          );
        } finally {
          await browser.close();
        }
      }
      return figures;
    } finally {
      await serve.stop();
    }
  },
};
