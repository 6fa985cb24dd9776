// The marketplace against a real cloud platform: a plant manager activates this PC with the code
// from the cloud, browses and searches the catalogue (in Chinese and English), starts the trial of
// each of the four templates and installs them on the demo plant, sees their dashboards fill with
// the demo machines' figures in English and Chinese, uninstalls one keeping its data; then the cloud
// goes away: the catalogue still shows from this PC's copy, a package file installs offline, a
// tampered one is refused, and Settings says the sync waits while the trials carry on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { CloudSettings, MarketplacePage, type InstallChoice } from './pages/marketplace-page.ts';
import { buildTemplates, packageSignature, readDevelopmentKey, readTemplateSource, TEMPLATES_DIR, zipFiles } from '../scripts/build-templates.ts';
import { startCloudProcess, type CloudProcess } from '../scripts/cloud-process.ts';
import { publishTemplates } from '../scripts/publish-templates.ts';
import { ARTIFACTS, startServe, type ServeProcess } from '../scripts/serve-process.ts';

interface TemplateCase {
  id: string;
  install: InstallChoice;
  /** Widgets showing a point's live value: each must show a number. */
  liveTiles: string[];
  /** A gauge that must show a number. */
  gauge?: string;
  /** A tile of the template's KPI machine: a number soon after the install (never "machine not found"). */
  machineTile?: string;
  /** Widget id → its Chinese title; and a word of the dashboard's Chinese name. */
  zhTitles: Record<string, string>;
  zhDashboard: string;
}

// The energy meter is read as an Acrel ADL400 (the demo answers that map at unit 3 behind 100/5 A CTs).
const TEMPLATES: TemplateCase[] = [
  {
    id: 'plantdesk.air-compressor',
    install: {},
    liveTiles: ['pressure-now', 'power-now', 'temperature-now'],
    gauge: 'load-ratio',
    zhTitles: { 'pressure-now': '排气压力', 'power-now': '电机功率' },
    zhDashboard: '健康',
  },
  { id: 'plantdesk.cnc-oee', install: {}, liveTiles: ['spindle-now'], machineTile: 'output', zhTitles: { 'spindle-now': '主轴负载', output: '本班产量' }, zhDashboard: 'OEE' },
  {
    id: 'plantdesk.energy-meter',
    install: { choices: { model: 1 }, fields: { 'ct-ratio': '20' } },
    liveTiles: ['power'],
    gauge: 'power-factor',
    zhTitles: { power: '当前有功功率', 'power-factor': '功率因数' },
    zhDashboard: '能源',
  },
  { id: 'plantdesk.injection-moulding', install: {}, liveTiles: ['mould', 'cycle'], machineTile: 'good', zhTitles: { mould: '模具温度', cycle: '上一模周期' }, zhDashboard: '注塑' },
];
const TEMPLATE_IDS = TEMPLATES.map((template) => template.id).sort();
const ORGANISATION = '宁波精密机械';
/** Template id → the instance the UI installed it as, and that instance's dashboard. */
const installedAs = new Map<string, { instanceId: string; dashboardId: string }>();

let cloud: CloudProcess;
let serve: ServeProcess;
let activationCode: string;
let page: Page;
let scratch: string;
/** The energy template's signed package, as `npm run templates:build` writes it to dist/templates. */
let energyPackage: string;

async function post<T>(url: string, init: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    body: JSON.stringify(init.body ?? {}),
  });
  expect(response.ok, `${url}: ${await response.clone().text()}`).toBe(true);
  return (await response.json()) as T;
}

const coreCall = <T>(name: string, body: unknown = {}) => post<T>(`${serve.url}/api/${name}`, { body });

/** A copy of the energy package with one byte of its README changed after signing. */
async function tamperedEnergyPackage(): Promise<string> {
  const { manifest, files } = readTemplateSource(path.join(TEMPLATES_DIR, 'energy-meter'));
  const signature = packageSignature(manifest, files, readDevelopmentKey());
  const readme = Buffer.from(files.get('README.md')!);
  const middle = readme.length >> 1;
  readme.writeUInt8(readme.readUInt8(middle) ^ 0x01, middle);
  const tampered = new Map(files);
  tampered.set('README.md', readme);
  tampered.set('package.sig', Buffer.from(`${signature}\n`, 'utf8'));
  const file = path.join(scratch, 'plantdesk.energy-meter-1.0.0.tampered.zip');
  fs.writeFileSync(file, await zipFiles(tampered));
  return file;
}

async function expectNumber(widget: ReturnType<Page['getByTestId']>, what: 'tile' | 'gauge'): Promise<void> {
  if (what === 'tile') await expect(widget.getByTestId('tile-value')).toHaveText(/\d/, { timeout: 45_000 });
  else {
    await expect(widget.getByTestId('gauge')).toHaveAttribute('data-value', /\d/, { timeout: 45_000 });
    // Drawn, not only computed: ECharts puts a canvas in the box once the gauge series is registered.
    await expect(widget.getByTestId('gauge').locator('canvas')).toHaveCount(1);
  }
}

/** Shows an installed template's dashboard on the Overview through its picker. */
async function showDashboard(dashboardId: string): Promise<void> {
  await page.getByTestId('nav-overview').click();
  const picker = page.getByTestId('dashboard-picker');
  await expect(picker).toBeEnabled();
  await picker.selectOption(dashboardId);
  await expect(picker).toHaveValue(dashboardId);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plantdesk-market-e2e-'));
  // Built from the sources for this run (the same deterministic zips as dist/templates, never a stale copy).
  const built = await buildTemplates({ outDir: path.join(scratch, 'templates') });
  energyPackage = built.find((template) => template.id === 'plantdesk.energy-meter')!.signedZip;
  expect(path.basename(energyPackage)).toBe('plantdesk.energy-meter-1.0.0.signed.zip');
  cloud = await startCloudProcess();
  const published = await publishTemplates({ cloudUrl: cloud.url, operatorToken: cloud.operatorToken });
  expect(published.map((template) => template.templateId).sort()).toEqual(TEMPLATE_IDS);
  const organisation = await post<{ id: string }>(`${cloud.url}/v1/operator/organisations`, { token: cloud.operatorToken, body: { name: ORGANISATION } });
  ({ activationCode } = await post<{ activationCode: string }>(`${cloud.url}/v1/operator/organisations/${organisation.id}/activation-codes`, { token: cloud.operatorToken }));
  // Run from the sources, as a developer does: the development key (templates/dev-marketplace-key.json)
  // that signed dist/templates is trusted, so a package file installs offline.
  serve = await startServe(['--lang', 'en'], { PLANTDESK_CLOUD_URL: cloud.url, PLANTDESK_TRUST_DEV_KEY: '1' });
  // Shift figures pause in planned breaks: a calendar without breaks keeps the test independent of the hour.
  const { calendar } = await coreCall<{ calendar: { shifts: { breaks: unknown[] }[] } }>('kpis.calendar');
  await coreCall('kpis.setCalendar', { ...calendar, shifts: calendar.shifts.map((shift) => ({ ...shift, breaks: [] })) });
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  await page.addInitScript(() => {
    if (!localStorage.getItem('plantdesk.locale')) localStorage.setItem('plantdesk.locale', 'en');
  });
});

test.afterAll(async () => {
  await page?.close();
  await serve?.stop();
  await cloud?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('a plant manager activates this PC with the code from the cloud', async () => {
  test.setTimeout(60_000);
  await page.goto(serve.url);
  const settings = new CloudSettings(page);
  await settings.open();
  await expect(settings.panel).toHaveAttribute('data-activated', 'false');
  await expect(page.getByTestId('cloud-url')).toHaveValue(cloud.url);
  await settings.activate(activationCode, 'Office PC');
  await expect(page.getByTestId('cloud-status')).toContainText(ORGANISATION);
  await expect(page.getByTestId('cloud-status')).toContainText('Office PC');
  await expect(settings.sync).toHaveAttribute('data-state', 'idle');
  await expect(settings.sync).toContainText('Up to date');
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-activated.png') });
  await settings.close();
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', 'idle');
});

test('the catalogue: Refresh shows the four templates, searching in Chinese and English narrows it', async () => {
  test.setTimeout(60_000);
  const market = new MarketplacePage(page);
  await market.open(serve.url);
  await market.refresh();
  await expect.poll(async () => (await market.cardIds()).sort()).toEqual(TEMPLATE_IDS);
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-browse.png') });

  await market.search.fill('空压机');
  await expect.poll(() => market.cardIds()).toEqual(['plantdesk.air-compressor']);
  await market.search.fill('injection');
  await expect.poll(() => market.cardIds()).toEqual(['plantdesk.injection-moulding']);
  await market.search.fill('no template is called this');
  await expect(page.getByTestId('market-none')).toBeVisible();
  await market.search.fill('');
  await expect.poll(async () => (await market.cardIds()).sort()).toEqual(TEMPLATE_IDS);
});

test('each template: its trial started and installed on the demo plant, its dashboard showing the machine', async () => {
  test.setTimeout(240_000);
  const market = new MarketplacePage(page);
  for (const template of TEMPLATES) {
    await market.open(serve.url);
    await market.openTemplate(template.id);
    if (template.id === 'plantdesk.air-compressor') {
      const shots = market.detail.locator('.market-shot img');
      await expect(shots.first()).toBeVisible({ timeout: 30_000 });
      expect(await shots.first().evaluate((image: HTMLImageElement) => image.naturalWidth)).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-compressor-page.png') });
    }
    expect(await market.startTrial()).toMatch(/Trial: \d+ day\(s\) left/);
    await expect(market.detail.getByTestId('licence-badge').first()).toHaveAttribute('data-state', 'trial');
    // A trial is taken once: its plan now shows the licence instead of "Start the trial".
    await expect(market.detail.getByTestId('market-order-trial')).toHaveCount(0);
    await expect(market.detail.getByTestId('market-plan-trial').getByTestId('licence-badge')).toContainText(/\d+ days left/);

    await market.detail.getByTestId('market-install').click();
    await expect(market.installDialog).toBeVisible();
    const instanceId = await market.installDialog.getByTestId('install-instance').inputValue({ timeout: 30_000 });
    if (template.id === 'plantdesk.air-compressor') await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-install-dialog.png') });
    await market.fillAndInstall(template.install);
    await market.openInstalledDashboard();

    const installed = (await coreCall<{ instances: { instanceId: string; templateId: string; created: { dashboard: string[] } }[] }>('templates.installed')).instances;
    const instance = installed.find((candidate) => candidate.instanceId === instanceId);
    expect(instance?.templateId).toBe(template.id);
    const dashboardId = instance!.created.dashboard[0]!;
    installedAs.set(template.id, { instanceId, dashboardId });
    await expect(page.getByTestId('dashboard-picker')).toHaveValue(dashboardId);
    for (const tile of template.liveTiles) await expectNumber(page.getByTestId(`widget-${tile}`), 'tile');
    if (template.gauge) await expectNumber(page.getByTestId(`widget-${template.gauge}`), 'gauge');
    if (template.machineTile) await expect(page.getByTestId(`widget-${template.machineTile}`).getByTestId('tile-value')).toHaveText(/\d/, { timeout: 3000 });
    if (template.id === 'plantdesk.air-compressor') await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-compressor-dashboard.png') });
  }
  const energy = installedAs.get('plantdesk.energy-meter')!;
  await showDashboard(energy.dashboardId);
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-energy-dashboard-en.png') });
});

test('in Chinese, each dashboard and its widgets carry their Chinese names', async () => {
  test.setTimeout(90_000);
  await page.locator('.language-switch button[lang="zh-CN"]').click();
  await expect(page.getByTestId('nav-overview')).toHaveText('总览');
  for (const template of TEMPLATES) {
    const { dashboardId } = installedAs.get(template.id)!;
    await showDashboard(dashboardId);
    await expect(page.getByTestId('dashboard-picker').locator('option:checked')).toContainText(template.zhDashboard);
    for (const [widget, title] of Object.entries(template.zhTitles)) await expect(page.getByTestId(`widget-${widget}`).getByTestId('widget-handle')).toContainText(title);
    for (const tile of template.liveTiles) await expectNumber(page.getByTestId(`widget-${tile}`), 'tile');
    if (template.gauge) await expectNumber(page.getByTestId(`widget-${template.gauge}`), 'gauge');
    if (template.machineTile) await expect(page.getByTestId(`widget-${template.machineTile}`).getByTestId('tile-value')).toHaveText(/\d/, { timeout: 3000 });
    if (template.id === 'plantdesk.air-compressor' || template.id === 'plantdesk.injection-moulding') {
      await page.screenshot({ path: path.join(ARTIFACTS, `marketplace-${template.id.split('.')[1]}-dashboard-zh-CN.png`) });
    }
  }
  // The catalogue and a template's page as most of our users read them.
  const market = new MarketplacePage(page);
  await page.getByTestId('nav-marketplace').click();
  await expect(market.card('plantdesk.air-compressor')).toContainText('空压机');
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-browse-zh-CN.png') });
  await market.openTemplate('plantdesk.energy-meter');
  await expect(market.detail.getByTestId('licence-badge').first()).toContainText('试用');
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-energy-page-zh-CN.png') });
  await page.locator('.language-switch button[lang="en"]').click();
  await expect(page.getByTestId('nav-overview')).toHaveText('Overview');
});

test('Installed lists the four instances in trial; one uninstalled keeping its data is gone', async () => {
  test.setTimeout(60_000);
  const market = new MarketplacePage(page);
  await market.open(serve.url);
  await market.showInstalled();
  await expect(market.instances).toHaveCount(4);
  for (const { instanceId } of installedAs.values()) {
    const row = market.instance(instanceId);
    await expect(row).toContainText('version 1.0.0');
    await expect(row.getByTestId('licence-badge')).toHaveAttribute('data-state', 'trial');
    await expect(row.getByTestId('licence-badge')).toContainText('Trial');
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-installed.png') });
  const cnc = installedAs.get('plantdesk.cnc-oee')!;
  await market.uninstall(cnc.instanceId, true);
  await expect(page.getByTestId('installed-outcome')).toContainText(`(${cnc.instanceId}) was uninstalled; the collected data is kept`);
  await expect(market.instance(cnc.instanceId)).toHaveCount(0);
  await expect(market.instances).toHaveCount(3);
});

test('offline: the catalogue from this PC, a package file installs, a tampered one is refused', async () => {
  test.setTimeout(120_000);
  await cloud.stop();
  const market = new MarketplacePage(page);
  await market.open(serve.url);
  await market.refresh();
  await expect(market.source).toContainText('could not be read from the PlantDesk cloud', { timeout: 30_000 });
  await expect.poll(async () => (await market.cardIds()).sort()).toEqual(TEMPLATE_IDS);
  await market.search.fill('空压机');
  await expect.poll(() => market.cardIds()).toEqual(['plantdesk.air-compressor']);
  // Searching the cached copy keeps saying why it is the cached copy.
  await expect(market.source).toContainText('could not be read from the PlantDesk cloud');
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-offline.png') });

  await page.getByTestId('market-tab-installed').click();
  await expect(market.installed).toBeVisible();
  await market.chooseFile(energyPackage);
  await market.fillAndInstall({ instanceId: 'energy-meter-2', fields: { 'device-name': 'Meter-2' } });
  await market.installDialog.getByTestId('install-see-installed').click();
  await expect(market.instance('energy-meter-2')).toContainText('version 1.0.0');
  await expect(market.instances).toHaveCount(4);

  await market.chooseFile(await tamperedEnergyPackage());
  const refused = market.installDialog.getByTestId('install-inspect-problem');
  await expect(refused).toContainText('README.md', { timeout: 30_000 });
  await expect(refused).toContainText('differs from the signed copy');
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-tampered.png') });
  await page.keyboard.press('Escape');
  await expect(market.installDialog).toHaveCount(0);
  await expect(market.instances).toHaveCount(4);
});

test('offline: Settings shows the trials with their days left and the sync waiting for the cloud', async () => {
  test.setTimeout(60_000);
  await page.goto(serve.url);
  const settings = new CloudSettings(page);
  await settings.open();
  for (const templateId of TEMPLATE_IDS) {
    const licence = settings.licence(templateId);
    await expect(licence.getByTestId('licence-badge')).toHaveAttribute('data-state', 'trial');
    await expect(licence).toContainText(/\d+ days left/);
  }
  await settings.sync.getByTestId('cloud-sync-now').click();
  await expect(settings.sync).toHaveAttribute('data-state', /waiting|error/, { timeout: 30_000 });
  await expect(settings.sync.getByTestId('cloud-sync-error')).toBeVisible();
  await expect(settings.sync.getByTestId('cloud-sync-error')).toContainText(/cloud/i);
  await page.screenshot({ path: path.join(ARTIFACTS, 'marketplace-sync-offline.png') });
  await settings.close();
  await expect(page.getByTestId('sync-indicator')).toHaveAttribute('data-state', /waiting|error/);
});
