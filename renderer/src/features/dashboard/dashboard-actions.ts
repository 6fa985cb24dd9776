// What the Overview page's buttons do: load and pick dashboards, copy, edit, save, delete, export to
// and import from a JSON file. Failures become a sentence beside the buttons (the core's own message
// in the user's language); nothing on screen is lost when a call fails.
import { CallFailedError } from '../../../../shared/contract/bridge.ts';
import type { DashboardSummary, DashboardView } from '../../../../shared/contract/dashboard-calls.ts';
import { DashboardSchema, dashboardToJson, PLANT_OVERVIEW, type Dashboard, type DashboardProblem } from '../../../../shared/domain/dashboards.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { i18n } from '../../i18n.ts';
import { refreshFeeds } from '../widgets/index.ts';
import { callDashboards } from './dashboard-api.ts';
import { chosenDashboardId, rememberDashboard, useDashboardStore } from './dashboard-store.ts';

const BUILT_IN_VIEW: DashboardView = { dashboard: PLANT_OVERVIEW, builtIn: true, revision: 0, updatedAt: null };
const BUILT_IN_SUMMARY: DashboardSummary = { id: PLANT_OVERVIEW.id, name: PLANT_OVERVIEW.name, builtIn: true, widgetCount: PLANT_OVERVIEW.widgets.length, updatedAt: null };

const set = useDashboardStore.setState;
const get = useDashboardStore.getState;

function nameOf(dashboard: Pick<Dashboard, 'name'>): string {
  return i18n.language === 'en' ? dashboard.name.en : dashboard.name['zh-CN'];
}

function failed(error: unknown): void {
  set({ notice: { tone: 'bad', text: callErrorMessage(error, i18n.t('error.internal')) } });
}

const unknownCall = (error: unknown) => error instanceof CallFailedError && error.body.code === 'not_found';

/** Reads the list and opens the dashboard shown last here (else the first: the plant overview). */
export async function loadDashboards(preferredId: string | null = chosenDashboardId()): Promise<void> {
  try {
    const list = await callDashboards('dashboards.list', {});
    const id = list.some((summary) => summary.id === preferredId) ? preferredId! : (list[0]?.id ?? PLANT_OVERVIEW.id);
    const view = await callDashboards('dashboards.get', { id });
    set({ source: 'stored', list, view, draft: null, selectedWidgetId: null });
  } catch (error) {
    // A core without dashboards still shows the built-in overview; any other failure says why.
    set({ source: 'builtInOnly', list: [BUILT_IN_SUMMARY], view: BUILT_IN_VIEW, draft: null, selectedWidgetId: null });
    if (!unknownCall(error)) failed(error);
  }
}

export async function openDashboard(id: string): Promise<void> {
  if (get().source !== 'stored') return;
  set({ busy: true, notice: null });
  try {
    const view = await callDashboards('dashboards.get', { id });
    rememberDashboard(id);
    set({ view, draft: null, selectedWidgetId: null });
  } catch (error) {
    failed(error);
  } finally {
    set({ busy: false });
  }
}

async function reloadList(): Promise<void> {
  try {
    set({ list: await callDashboards('dashboards.list', {}) });
  } catch (error) {
    failed(error);
  }
}

/** Stores a copy of the dashboard on screen, opens it and starts editing it. */
export async function copyDashboard(): Promise<void> {
  const view = get().view;
  if (!view) return;
  set({ busy: true, notice: null });
  try {
    const copy = await callDashboards('dashboards.copy', { id: view.dashboard.id });
    rememberDashboard(copy.dashboard.id);
    set({ view: copy, draft: structuredClone(copy.dashboard), selectedWidgetId: null, notice: { tone: 'good', text: i18n.t('dashboard.copied', { name: nameOf(copy.dashboard) }) } });
    await reloadList();
  } catch (error) {
    failed(error);
  } finally {
    set({ busy: false });
  }
}

export function startEditing(): void {
  const view = get().view;
  // A locked template's dashboard stays read-only: the core would refuse the save anyway.
  if (!view || view.builtIn || view.lockedBy) return;
  set({ draft: structuredClone(view.dashboard), selectedWidgetId: null, notice: null });
}

export function stopEditing(): void {
  set({ draft: null, selectedWidgetId: null });
}

export function updateDraft(change: (draft: Dashboard) => Dashboard): void {
  const draft = get().draft;
  if (draft) set({ draft: change(draft) });
}

export function selectWidget(id: string | null): void {
  set({ selectedWidgetId: id });
}

/** Saves the draft as the next revision of the dashboard and leaves edit mode. */
export async function saveDraft(): Promise<void> {
  const { draft, view } = get();
  if (!draft || !view) return;
  const checked = DashboardSchema.safeParse(draft);
  if (!checked.success) {
    set({ notice: { tone: 'bad', text: checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') } });
    return;
  }
  set({ busy: true, notice: null });
  try {
    const saved = await callDashboards('dashboards.save', { dashboard: checked.data, revision: view.revision });
    set({ view: saved, draft: null, selectedWidgetId: null, notice: { tone: 'good', text: i18n.t('dashboard.saved', { name: nameOf(saved.dashboard) }) } });
    await reloadList();
    refreshFeeds();
  } catch (error) {
    failed(error);
  } finally {
    set({ busy: false });
  }
}

export async function deleteDashboard(): Promise<void> {
  const view = get().view;
  if (!view || view.builtIn) return;
  set({ busy: true, notice: null });
  try {
    await callDashboards('dashboards.delete', { id: view.dashboard.id });
    await loadDashboards(null);
    set({ notice: { tone: 'good', text: i18n.t('dashboard.deleted', { name: nameOf(view.dashboard) }) } });
  } catch (error) {
    failed(error);
  } finally {
    set({ busy: false });
  }
}

/** Hands the text of a file to the user as a download (a browser and Electron both ask or save). */
export function downloadText(fileName: string, text: string, mimeType = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${mimeType};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function exportDashboard(): Promise<void> {
  const { view, source } = get();
  if (!view) return;
  try {
    const file =
      source === 'stored'
        ? await callDashboards('dashboards.export', { id: view.dashboard.id })
        : { fileName: `${nameOf(view.dashboard)}.dashboard.json`, json: dashboardToJson(view.dashboard) };
    downloadText(file.fileName, file.json);
    set({ notice: { tone: 'good', text: i18n.t('dashboard.exported', { file: file.fileName }) } });
  } catch (error) {
    failed(error);
  }
}

export type ImportOutcome = { ok: true } | { ok: false; problems: DashboardProblem[]; message: string };

/** Imports a dashboard file and opens it; a refused file comes back with every problem named. */
export async function importDashboard(json: string): Promise<ImportOutcome> {
  try {
    const imported = await callDashboards('dashboards.import', { json });
    rememberDashboard(imported.dashboard.id);
    set({ view: imported, draft: null, selectedWidgetId: null, notice: { tone: 'good', text: i18n.t('dashboard.imported', { name: nameOf(imported.dashboard) }) } });
    await reloadList();
    return { ok: true };
  } catch (error) {
    const details = error instanceof CallFailedError ? (error.body.details as { problems?: DashboardProblem[] } | undefined) : undefined;
    return { ok: false, problems: details?.problems ?? [], message: callErrorMessage(error, i18n.t('error.internal')) };
  }
}
