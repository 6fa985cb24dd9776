// The Overview page's state: the dashboards there are, the one on screen (as saved) and, while its
// layout is edited, the draft; what the last action said. Actions live in dashboard-actions.ts.
import { create } from 'zustand';
import type { DashboardSummary, DashboardView } from '../../../../shared/contract/dashboard-calls.ts';
import type { Dashboard } from '../../../../shared/domain/dashboards.ts';

/** 'stored': the core serves dashboards; 'builtInOnly': it does not (yet), the built-in overview is shown. */
export type DashboardSource = 'loading' | 'stored' | 'builtInOnly';

export interface PageNotice {
  tone: 'good' | 'bad' | 'info';
  text: string;
}

interface DashboardPageState {
  source: DashboardSource;
  list: DashboardSummary[];
  view: DashboardView | null;
  /** The layout being edited; null when not in edit mode. */
  draft: Dashboard | null;
  selectedWidgetId: string | null;
  busy: boolean;
  notice: PageNotice | null;
}

export const useDashboardStore = create<DashboardPageState>()(() => ({
  source: 'loading',
  list: [],
  view: null,
  draft: null,
  selectedWidgetId: null,
  busy: false,
  notice: null,
}));

const CHOSEN_KEY = 'plantdesk.dashboard';

/** The dashboard this PC or tablet showed last. */
export function chosenDashboardId(): string | null {
  try {
    return localStorage.getItem(CHOSEN_KEY);
  } catch {
    return null;
  }
}

export function rememberDashboard(id: string): void {
  try {
    localStorage.setItem(CHOSEN_KEY, id);
  } catch {
    // not remembered; the choice still applies now
  }
}
