// The active alarms as the UI holds them: loaded with alarms.active, kept in step by the batched
// 'alarms.changed' events, and read again (at most once a second) when an event says too many
// changed at once — a burst of hundreds of alarms costs a few small updates, never a frozen window.
import { create } from 'zustand';
import type { AlarmView, SeverityCounts } from '../../../../shared/contract/alarm-calls.ts';
import { CallFailedError } from '../../../../shared/contract/bridge.ts';
import { connection } from '../../api/index.ts';
import { reportError } from '../../app/report-error.ts';
import { i18n } from '../../i18n.ts';
import { callAlarms, onAlarmEvent } from './alarm-api.ts';
import { compareAlarms, mergeAlarms } from './alarm-list.ts';
import { askPermissionOnFirstGesture, composeNotice, NoticeThrottle, showDesktopNotice, type Translate } from './desktop-notifications.ts';

interface AlarmsState {
  alarms: AlarmView[];
  counts: SeverityCounts;
  loaded: boolean;
  /** The core does not serve alarms (an older core): the badge and page say nothing. */
  unavailable: boolean;
}

export const useAlarmsStore = create<AlarmsState>()(() => ({
  alarms: [],
  counts: { critical: 0, high: 0, medium: 0, low: 0 },
  loaded: false,
  unavailable: false,
}));

/** Changes that arrive while alarms.active is on its way; applied on top of its answer. */
let changedDuringLoad: AlarmView[] | null = null;
let loading: Promise<void> | null = null;
let loadAgain = false;
let lastLoadAt = 0;
let resyncTimer: ReturnType<typeof setTimeout> | undefined;

/** Reads the active list again (after a start, a reconnect, a resync or an action). */
export function loadActiveAlarms(): Promise<void> {
  if (loading) {
    loadAgain = true;
    return loading;
  }
  lastLoadAt = Date.now();
  changedDuringLoad = [];
  loading = (async () => {
    try {
      const { alarms, counts } = await callAlarms('alarms.active', {});
      const during = changedDuringLoad ?? [];
      useAlarmsStore.setState({ alarms: mergeAlarms([...alarms].sort(compareAlarms), during), counts, loaded: true, unavailable: false });
    } catch (error) {
      if (error instanceof CallFailedError && error.body.code === 'not_found') useAlarmsStore.setState({ unavailable: true });
      else reportError(error);
    } finally {
      changedDuringLoad = null;
      loading = null;
      if (loadAgain) {
        loadAgain = false;
        void loadActiveAlarms();
      }
    }
  })();
  return loading;
}

/** A resync asked for by the core: at most one read per second. */
function resync(): void {
  if (resyncTimer) return;
  const wait = Math.max(0, lastLoadAt + 1000 - Date.now());
  resyncTimer = setTimeout(() => {
    resyncTimer = undefined;
    void loadActiveAlarms();
  }, wait);
}

/** Starts following the alarms (list, counts, desktop notifications); returns the function that stops. */
export function startAlarmFeed(): () => void {
  const throttle = new NoticeThrottle((alarms, count, counts) => {
    const language = i18n.language === 'en' ? 'en' : 'zh-CN';
    showDesktopNotice(composeNotice(alarms, count, counts, language, i18n.t.bind(i18n) as unknown as Translate));
  });
  let previous = connection.state();
  const stops = [
    onAlarmEvent('alarms.changed', ({ alarms, resync: tooMany, counts }) => {
      if (tooMany) {
        useAlarmsStore.setState({ counts });
        resync();
        return;
      }
      changedDuringLoad?.push(...alarms);
      useAlarmsStore.setState((state) => ({ alarms: mergeAlarms(state.alarms, alarms), counts }));
    }),
    onAlarmEvent('alarms.raised', (payload) => throttle.push(payload)),
    connection.subscribe((state) => {
      // Events sent while the link was down are lost: read the list again.
      if (state === 'open' && previous !== 'open') void loadActiveAlarms();
      previous = state;
    }),
    askPermissionOnFirstGesture(),
    () => throttle.stop(),
    () => clearTimeout(resyncTimer),
  ];
  void loadActiveAlarms();
  return () => {
    for (const stop of stops) stop();
  };
}
