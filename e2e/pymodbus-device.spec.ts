// Issue 3's acceptance: a device nobody here wrote (Debian's pymodbus) is set up from the UI alone —
// add it, test it, import its register map — and every data type in every word order is decoded
// right, in the API exactly and on screen to the precision the table shows.
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { formatAddress, type WordOrder } from '../shared/index.ts';
import { startServe, type ServeProcess } from '../scripts/serve-process.ts';
import { agrees, ImageBuilder, KNOWN_STRINGS, KNOWN_VALUES } from './interop/register-image.ts';
import { freePort, makeTempDir, startPymodbus, stopAllProcesses, type Peer } from './interop/support.ts';
import { CommissioningPage } from './pages/commissioning-page.ts';

const ORDERS: readonly WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];
const DEVICE = 'pymodbus-peer';

let serve: ServeProcess;
let peer: Peer;
let port: number;
const builder = new ImageBuilder(DEVICE);

test.beforeAll(async () => {
  for (const [dataType, values] of Object.entries(KNOWN_VALUES) as [keyof typeof KNOWN_VALUES, readonly number[]][]) {
    ORDERS.forEach((order, index) => builder.value('holding', values[index]!, dataType, order));
  }
  ORDERS.forEach((order, index) => builder.value('holding', KNOWN_STRINGS[index]!, 'string', order, { length: 8 }));
  builder.value('input', 2153, 'uint16', 'ABCD', { scale: 0.1, name: 'input uint16 scaled' });
  builder.bits('holding', 0b1010_0000_0000_0101, [0, 1, 2, 15]);
  builder.flags('coil', [1, 0, 1]);
  port = await freePort();
  peer = await startPymodbus({ image: builder.image, dir: makeTempDir(), tcpPort: port, maxSeconds: 300 });
  serve = await startServe(['--lang', 'en', '--no-demo']);
});

test.afterAll(async () => {
  await serve?.stop();
  await peer?.stop();
  await stopAllProcesses();
});

/** The register map as a technician would keep it, with Modicon addresses. */
function registerMapCsv(): string {
  const rows = builder.points.map(({ point }) =>
    [
      point.id,
      point.name,
      formatAddress(point.function ?? 'holding', point.address, 'modicon'),
      point.dataType,
      point.wordOrder ?? 'ABCD',
      point.length ?? '',
      point.bit ?? '',
      point.scale ?? 1,
    ].join(','),
  );
  return ['id,name,address,data type,word order,length,bit,scale', ...rows].join('\n');
}

/** Whether the table's text shows `expected`, within the rounding the table applies. */
function shows(text: string, expected: number | string): boolean {
  if (typeof expected === 'string') return text.trim() === expected;
  const shown = Number(text.replace(/,/g, '').trim());
  if (!Number.isFinite(shown)) return false;
  const exponential = /e[+-]?\d+$/i.exec(text.trim());
  if (exponential) return Math.abs(shown - expected) <= Math.abs(expected) * 5e-4;
  const decimals = (text.split('.')[1] ?? '').trim().length;
  return Math.abs(shown - expected) <= 0.5 * 10 ** -decimals + Math.abs(expected) * 1e-12;
}

test('a pymodbus device is set up from the UI alone and decodes every type and word order', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const ui = new CommissioningPage(page);
  await page.goto(`${serve.url}/#/live`);

  await ui.addDevice();
  await ui.fillTcpConnection({ name: DEVICE, host: '127.0.0.1', port, unitId: 1 });
  await expect(await ui.testConnection()).toContainText(/answered/);
  await expect(await ui.save()).toBeVisible();

  await ui.openTab('map');
  await ui.checkImport({ name: 'pymodbus register map.csv', content: registerMapCsv() });
  await expect(ui.importProblems()).toHaveCount(0);
  await page.getByTestId('import-run').click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await page.getByTestId('import-close').click();
  await ui.close();

  // Exactly right, as the core decodes them (the page's own API).
  const points = await expect
    .poll(async () => {
      const response = await page.request.post(`${serve.url}/api/points.list`, { data: { deviceId: DEVICE } });
      const list = (await response.json()) as { id: string; latest: { value: unknown; quality: string } | null }[];
      return list.length === builder.points.length && list.every((point) => point.latest?.quality === 'good') ? list : null;
    }, { timeout: 20_000 })
    .not.toBeNull()
    .then(async () => {
      const response = await page.request.post(`${serve.url}/api/points.list`, { data: { deviceId: DEVICE } });
      return (await response.json()) as { id: string; latest: { value: unknown } }[];
    });
  const byId = new Map(points.map((point) => [point.id, point.latest.value]));
  const wrong = builder.points.filter(({ point, expected, precision }) => !agrees(byId.get(point.id), expected, precision));
  expect(wrong.map(({ point, expected }) => `${point.name}: expected ${expected}, got ${byId.get(point.id)}`)).toEqual([]);

  // On screen, each value as the table shows it.
  await page.getByTestId(`device-${DEVICE}`).click();
  for (const { point, expected } of builder.points) {
    const cell = page.getByTestId(`value-${point.id}`);
    // Right after the device is selected a cell may still show "—" until its first value arrives.
    await expect
      .poll(async () => {
        const text = (await cell.textContent()) ?? '';
        return shows(text, expected) ? 'ok' : `shows "${text}" for ${expected}`;
      }, { message: point.name, timeout: 10_000 })
      .toBe('ok');
  }
  fs.mkdirSync('e2e/artifacts', { recursive: true });
  await page.screenshot({ path: 'e2e/artifacts/pymodbus-device-en.png', fullPage: true });
});
