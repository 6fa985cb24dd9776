// The state of one period's KPI figures as the widgets see it, and how each read changes it: the
// unchanged parts of a new answer stay identical to the last one's (so nothing that did not change is
// drawn again), and a failed read keeps the last figures on screen.
import type { MachineOverview, PlantOverview } from '../../../../shared/contract/kpi-calls.ts';
import type { OptionalResult } from './optional-call.ts';
import { replaceEqualDeep } from './structural-share.ts';

export type FeedStatus = 'loading' | 'ready' | 'unavailable' | 'failed';

export interface OverviewFeed {
  status: FeedStatus;
  /** The last answer that came; kept on screen while a later read fails. */
  overview: PlantOverview | null;
  machinesById: Readonly<Record<string, MachineOverview>>;
  /** Why the last read failed, in the UI language. */
  error: string | null;
}

export const LOADING_FEED: OverviewFeed = { status: 'loading', overview: null, machinesById: {}, error: null };

/** The answer of a read, folded into the feed it belongs to. */
export function nextFeed(previous: OverviewFeed, result: OptionalResult<PlantOverview>): OverviewFeed {
  if (result.kind === 'unavailable') return previous.status === 'unavailable' ? previous : { ...LOADING_FEED, status: 'unavailable' };
  if (result.kind === 'failed') {
    return previous.status === 'failed' && previous.error === result.message ? previous : { ...previous, status: 'failed', error: result.message };
  }
  const overview = replaceEqualDeep(previous.overview, result.value);
  if (overview === previous.overview && previous.status === 'ready') return previous;
  const machinesById = replaceEqualDeep(previous.machinesById, Object.fromEntries(overview.machines.map((machine) => [machine.machineId, machine])));
  return { status: 'ready', overview, machinesById, error: null };
}
