// The overview in Chromium with 50 machines whose figures change every second: how busy the page's
// main thread is (Chrome's TaskDuration over wall time, through the DevTools protocol). The KPI
// answers are stood in (bench/synthetic-overview.ts), so this measures the screen, not the engine.
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { buildRenderer } from '../scripts/build.ts';
import { startServe } from '../scripts/serve-process.ts';
import type { Benchmark, Figure } from './run.ts';
import { syntheticOverview } from './synthetic-overview.ts';

const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const MACHINES = 50;
const SECONDS = Number(process.env.BENCH_OVERVIEW_SECONDS ?? 15);

export const benchmark: Benchmark = {
  title: `Overview in Chromium: ${MACHINES} machines updating every second`,
  async run() {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
    await buildRenderer();
    const serve = await startServe(['--lang', 'en']);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    try {
      // A dashboard like the plant overview whose figures are read again every second.
      const post = async (name: string, body: unknown) => {
        const response = await fetch(`${serve.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (!response.ok) throw new Error(`${name}: ${await response.text()}`);
        return response.json() as Promise<Record<string, unknown>>;
      };
      const exported = (await post('dashboards.export', { id: 'plant-overview' })) as { json: string };
      const fifty = { ...JSON.parse(exported.json), id: 'fifty', name: { en: 'Fifty machines', 'zh-CN': '五十台设备' }, refreshSeconds: 1 };
      const imported = (await post('dashboards.import', { json: JSON.stringify(fifty) })) as { dashboard: { id: string } };
      const dashboardId = imported.dashboard.id;

      const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
      let tick = 0;
      let answered = 0;
      await page.route('**/api/kpis.overview', async (route) => {
        const input = JSON.parse(route.request().postData() ?? '{}') as { period: 'shift' | 'day' | 'week' | 'month'; at?: number };
        answered++;
        await route.fulfill({ json: syntheticOverview(MACHINES, tick++, input.period, input.at ?? Date.now()) });
      });
      await page.addInitScript((id) => {
        localStorage.setItem('plantdesk.locale', 'en');
        localStorage.setItem('plantdesk.dashboard', id);
      }, dashboardId);
      await page.goto(serve.url);
      await page.getByTestId('dashboard-picker').selectOption(dashboardId);
      await page.locator('[data-testid^="machine-card-"]').nth(MACHINES - 1).waitFor({ timeout: 30_000 });

      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metric = async () => {
        const { metrics } = await cdp.send('Performance.getMetrics');
        const value = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? 0;
        return { task: value('TaskDuration'), script: value('ScriptDuration'), layout: value('LayoutDuration'), at: value('Timestamp') };
      };
      const start = await metric();
      const answeredAtStart = answered;
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      const end = await metric();
      const wall = end.at - start.at;
      const figures: Figure[] = [
        { name: 'main thread busy', value: ((end.task - start.task) / wall) * 100, unit: '%', target: '≤ 20 %', reference: `${answered - answeredAtStart} KPI answers drawn in ${SECONDS} s` },
        { name: 'of which script', value: ((end.script - start.script) / wall) * 100, unit: '%' },
        { name: 'of which layout', value: ((end.layout - start.layout) / wall) * 100, unit: '%' },
      ];
      return figures;
    } finally {
      await browser.close();
      await serve.stop();
    }
  },
};
