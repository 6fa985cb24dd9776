// Whether a device's machine is in a planned stop (a break or planned downtime of the shift calendar)
// at a given time, for the alarm service: alarms of a machine that is meant to be stopped are
// suppressed instead of raised. Settings are read again every half minute; the calendar of each day
// asked about is worked out once.
import { CALENDAR_SETTINGS_KEY, defaultShiftCalendar, ShiftCalendarSchema, type ShiftCalendar } from '../../shared/domain/calendar.ts';
import { MACHINES_SETTINGS_KEY, MachineSettingsSchema, type MachineSettings } from '../../shared/domain/machines.ts';
import { hostTimeZone } from '../historian/export/local-time.ts';
import type { Logger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';
import { PlanView, PlantClock } from './calendar.ts';
import { defaultMachineSettings } from './defaults.ts';

const SETTINGS_TTL_MS = 30_000;
const DAY_MS = 86_400_000;

export interface PlannedStopDeps {
  db: Db;
  logger: Logger;
  hostTimeZone?: () => string;
  now?: () => number;
}

/** (pointId, ts, deviceId) → true while the machine on that device is in a planned stop. */
export function plannedStopCheck(deps: PlannedStopDeps): (pointId: string | null, ts: number, deviceId: string) => boolean {
  const settings = new Settings(deps.db, deps.logger);
  const now = deps.now ?? Date.now;
  const zone = deps.hostTimeZone ?? hostTimeZone;
  const deviceExists = (() => {
    const statement = deps.db.prepare('SELECT 1 FROM devices WHERE id = ?').pluck();
    return (deviceId: string) => statement.get(deviceId) !== undefined;
  })();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let calendar: ShiftCalendar | undefined;
  let clock: PlantClock | undefined;
  let machinesByDevice = new Map<string, string[]>();
  let days = new Map<number, PlanView>();

  const load = () => {
    const at = now();
    if (at - loadedAt < SETTINGS_TTL_MS && at >= loadedAt) return;
    loadedAt = at;
    calendar = settings.read(CALENDAR_SETTINGS_KEY, ShiftCalendarSchema, defaultShiftCalendar('en'));
    clock = new PlantClock(calendar.timeZone ?? zone());
    const machines: MachineSettings = settings.read(MACHINES_SETTINGS_KEY, MachineSettingsSchema, defaultMachineSettings('en', deviceExists));
    machinesByDevice = new Map();
    for (const machine of machines.machines) machinesByDevice.set(machine.deviceId, [...(machinesByDevice.get(machine.deviceId) ?? []), machine.id]);
    days = new Map();
  };

  return (_pointId, ts, deviceId) => {
    try {
      load();
      const machineIds = machinesByDevice.get(deviceId);
      if (!machineIds || !calendar || !clock) return false;
      // A view over the UTC day of `ts` and a day either side holds every shift that can reach it.
      const day = Math.floor(ts / DAY_MS);
      let view = days.get(day);
      if (!view) {
        if (days.size > 8) days.clear();
        view = new PlanView(calendar, clock, (day - 1) * DAY_MS, (day + 2) * DAY_MS);
        days.set(day, view);
      }
      return machineIds.some((machineId) => view.forMachine(machineId).plannedStops.some((stop) => stop.from <= ts && ts < stop.to));
    } catch (error) {
      // A calendar that cannot be read must not stop alarms: nothing is suppressed.
      deps.logger.warn('cannot tell whether a machine is in a planned stop; its alarms are not suppressed', { error: String(error) });
      return false;
    }
  };
}
