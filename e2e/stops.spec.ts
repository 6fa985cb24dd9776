// Stop reasons from the Overview, and the shift calendar in Settings → Production, against the demo
// plant. The demo CNC runs most of the time; to have a stop going on without waiting for one, the test
// tells the KPI engine (kpis.setMachines) that none of the CNC's states is "running", so from then on
// its current state counts as a stop. An operator gives it a reason with one tap on the overview and
// the OEE widget's losses name that reason; then the day shift is changed in Settings and saved.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { OverviewPage } from './pages/overview-page.ts';
import { StopsPage } from './pages/stops-page.ts';
import { ARTIFACTS, startServe, type ServeProcess } from '../scripts/serve-process.ts';

let serve: ServeProcess;

test.beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  serve = await startServe(['--lang', 'en']);
});

test.afterAll(async () => {
  await serve?.stop();
});

async function call<T = unknown>(request: APIRequestContext, name: string, input: unknown): Promise<T> {
  const response = await request.post(`${serve.url}/api/${name}`, { data: input });
  expect(response.ok(), `${name}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

interface MachineSettingsLike {
  machines: { id: string; runningStates: number[]; idleStates: number[]; alarmStates: number[]; microStopS: number }[];
}
interface CalendarLike {
  calendar: { shifts: { id: string; start: string; end: string; breaks: unknown[] }[] };
}

test('an operator gives the stop going on now its reason on the overview, and the losses name it', async ({ page }) => {
  // Every hour planned (no meal break), so the stop's time counts in the losses whenever the test runs.
  const { calendar } = await call<CalendarLike>(page.request, 'kpis.calendar', {});
  await call(page.request, 'kpis.setCalendar', { ...calendar, shifts: calendar.shifts.map((shift) => ({ ...shift, breaks: [] })) });
  // The CNC's running and idle codes both count as idle from now on: it is stopped, and the stop is open.
  const settings = await call<MachineSettingsLike>(page.request, 'kpis.machines', {});
  const machines = settings.machines.map((machine) =>
    // A stop shorter than the micro-stop limit is a short stop without a reason in the losses: 1 s makes it a stop at once.
    machine.id === 'cnc1' ? { ...machine, runningStates: [99], idleStates: [...new Set([...machine.idleStates, ...machine.runningStates])], microStopS: 1 } : machine,
  );
  await call(page.request, 'kpis.setMachines', { ...settings, machines });

  await page.setViewportSize({ width: 1366, height: 1620 });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const overview = new OverviewPage(page);
  const stops = new StopsPage(page);
  await overview.open(serve.url);
  expect(await overview.waitForMachines()).toBe('cards');

  // The open stop of the CNC is listed on top of the stops this shift.
  const stop = stops.openStop('cnc1');
  await expect(stop).toBeVisible({ timeout: 30_000 });
  await expect(stops.rows.first()).toHaveAttribute('data-open', 'true');
  await expect(stop.getByTestId('stop-reason')).toHaveText('No reason given');

  await stops.giveReason(stop, 'noMaterial');
  await expect(stop.getByTestId('stop-reason')).toHaveText('No material');
  await expect(stops.widget.getByTestId('reason-noMaterial')).toHaveAttribute('aria-pressed', 'true');
  // The OEE widget reads the figures again: its losses by reason now name the reason.
  await expect(stops.lossReason('noMaterial')).toContainText('No material', { timeout: 30_000 });

  // Changing it is one more tap.
  await stops.giveReason(stop, 'breakdown');
  await expect(stops.lossReason('breakdown')).toContainText('Breakdown', { timeout: 30_000 });
  await expect(stops.lossReason('noMaterial')).toHaveCount(0, { timeout: 30_000 });
  await stops.widget.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'stops.png'), fullPage: true });
});

test('the day shift is changed in Settings → Production, refused with a sentence when it overlaps, and saved', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 1000 });
  await page.addInitScript(() => localStorage.setItem('plantdesk.locale', 'en'));
  const overview = new OverviewPage(page);
  const stops = new StopsPage(page);
  await overview.open(serve.url);
  await stops.openProduction();
  await expect(stops.shift('day').getByTestId('shift-start')).toHaveValue('08:00');

  // Into the night shift (20:00–08:00): the core says which shifts overlap.
  const refused = await stops.setShiftTimes('day', '07:00', '21:00');
  await expect(refused).toContainText(/The shifts ".+" and ".+" overlap/);

  const saved = await stops.setShiftTimes('day', '08:00', '19:30');
  await expect(saved).toContainText('Saved');
  const { calendar } = await call<CalendarLike>(page.request, 'kpis.calendar', {});
  expect(calendar.shifts.find((shift) => shift.id === 'day')).toMatchObject({ start: '08:00', end: '19:30' });
  await page.screenshot({ path: path.join(ARTIFACTS, 'settings-production.png') });

  // Kept when the app is opened again.
  await overview.open(serve.url);
  await stops.openProduction();
  await expect(stops.shift('day').getByTestId('shift-end')).toHaveValue('19:30');
});
