// A technician commissions a device the way they do with Modbus Poll or Kepware: add a Modbus TCP
// device, test the connection, read the register map before saving, save it and see it connect;
// write a setpoint with a confirm step and read-back; import a register map with a bad row.
import { expect, test } from '@playwright/test';
import { CommissioningPage } from './pages/commissioning-page.ts';
import { startServe, type ServeProcess } from '../scripts/serve-process.ts';

let serve: ServeProcess;

test.beforeAll(async () => {
  serve = await startServe(['--lang', 'en']);
});

test.afterAll(async () => {
  await serve?.stop();
});

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
});

/** Calls the contract directly, for what the test needs to know or set up rather than check. */
async function call<T>(page: import('@playwright/test').Page, name: string, input: unknown): Promise<T> {
  const response = await page.request.post(`${serve.url}/api/${name}`, { data: input });
  expect(response.ok(), `${name}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

async function demoCncPort(page: import('@playwright/test').Page): Promise<number> {
  const devices = await call<{ id: string; connection: { port: number } }[]>(page, 'devices.list', {});
  const cnc = devices.find((device) => device.id === 'demo-cnc1');
  if (!cnc) throw new Error('the demo plant has no CNC');
  return cnc.connection.port;
}

test('a Modbus TCP device is tested, read before saving, saved, and connects', async ({ page }) => {
  const ui = new CommissioningPage(page);
  await page.goto(`${serve.url}/#/live`);
  const port = await demoCncPort(page);

  await ui.addDevice();
  await ui.fillTcpConnection({ name: 'CNC-2 e2e', host: '127.0.0.1', port, unitId: 1 });
  const tested = await ui.testConnection();
  await expect(tested).toContainText('answered in');

  await ui.openTab('map');
  // The demo CNC keeps its spindle speed in holding register 40002 and its part counter in 40004-40005.
  const speed = await ui.addPoint({ name: 'Spindle speed', address: '40002' });
  const parts = await ui.addPoint({ name: 'Part counter', address: '40004', dataType: 'uint32' });
  await ui.readNow();
  await expect(ui.readValue(speed)).toHaveText(/^\d[\d,]*$/);
  await expect(ui.rawRegisters(speed)).toHaveText(/^[0-9A-F]{4}$/);
  await expect(ui.rawRegisters(parts)).toHaveText(/^[0-9A-F]{4} [0-9A-F]{4}$/);
  // What Read now shows is what the CNC says: the raw register decodes to the value shown.
  const raw = Number.parseInt((await ui.rawRegisters(speed).textContent()) ?? '', 16);
  expect(Number((await ui.readValue(speed).textContent())?.replace(/,/g, ''))).toBe(raw);

  await expect(await ui.save()).toContainText('Saved CNC-2 e2e');
  await ui.close();
  await expect(ui.device('cnc-2-e2e')).toBeVisible();
  await expect(ui.device('cnc-2-e2e')).toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  await expect(ui.device('cnc-2-e2e')).toContainText('Connected');
  await expect(page.getByTestId('value-cnc-2-e2e.spindleSpeed')).toHaveText(/\d/);
});

test('writing the feed override asks first, then verifies by reading back', async ({ page }) => {
  const ui = new CommissioningPage(page);
  await page.goto(`${serve.url}/#/live`);
  await ui.device('demo-cnc1').click();
  await expect(page.getByTestId('value-demo-cnc1.feedOverride')).toHaveText(/\d/);
  const auditBefore = await call<unknown[]>(page, 'audit.list', {});

  await ui.startWrite('demo-cnc1.feedOverride', '80');
  await expect(page.getByTestId('write-question')).toContainText('Write 80 % to Feed override on CNC-1');
  // Nothing is written before the confirm.
  expect(await call<unknown[]>(page, 'audit.list', {})).toHaveLength(auditBefore.length);

  const result = await ui.confirmWrite();
  await expect(result).toContainText('verified');
  await expect(result).toContainText('80 %');
  await page.getByTestId('write-close').click();
  await expect(page.getByTestId('value-demo-cnc1.feedOverride')).toHaveText('80');

  await page.getByTestId('audit-open').click();
  await expect(page.getByTestId('audit-entry').first()).toContainText('Feed override');
  await expect(page.getByTestId('audit-entry').first()).toContainText('→ 80');
});

test('a register map with a bad row is refused with the row and column of the problem', async ({ page }) => {
  const ui = new CommissioningPage(page);
  const port = await (async () => {
    await page.goto(`${serve.url}/#/live`);
    return demoCncPort(page);
  })();
  await call(page, 'devices.save', {
    device: { id: 'import-target', name: 'Import target', connection: { kind: 'tcp', host: '127.0.0.1', port }, unitId: 1 },
    points: [],
  });
  await expect(ui.device('import-target')).toBeVisible();
  await ui.commission('import-target');
  await ui.openTab('map');

  await ui.checkImport({
    name: 'cnc map.csv',
    content: 'name,address,data type,unit\nSpindle speed,40002,uint16,rpm\nSpindle load,4000x,uint16,%\nPart counter,40004,uint32,pcs\n',
  });
  await expect(page.getByTestId('import-summary')).toContainText('2 good row');
  await expect(ui.importProblems()).toHaveCount(1);
  await expect(ui.importProblems().first().locator('.import-row')).toHaveText('3');
  await expect(ui.importProblems().first().locator('.import-column')).toHaveText('address');
  await expect(page.getByTestId('import-run')).toBeDisabled();
  await expect(page.getByTestId('import-good-rows')).toBeEnabled();
  // Nothing was imported by the check.
  expect(await call<unknown[]>(page, 'points.list', { deviceId: 'import-target' })).toHaveLength(0);

  await page.getByTestId('import-good-rows').click();
  await expect(page.getByTestId('import-done')).toContainText('Imported 2 points');
  expect(await call<unknown[]>(page, 'points.list', { deviceId: 'import-target' })).toHaveLength(2);
});
