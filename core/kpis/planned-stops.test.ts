// Alarms of a machine in a planned stop are suppressed: the check says yes inside its breaks and
// planned downtime (in the plant's time zone), no outside them and for devices that are no machine.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALENDAR_SETTINGS_KEY, defaultShiftCalendar, ShiftCalendarSchema } from '../../shared/domain/calendar.ts';
import { MACHINES_SETTINGS_KEY, MachineSettingsSchema } from '../../shared/domain/machines.ts';
import { silentLogger } from '../host.ts';
import { openDatabase, type Db } from '../storage/database.ts';
import { Settings } from '../storage/settings.ts';
import { makeTempDir, removeDir } from '../test-support.ts';
import { plannedStopCheck } from './planned-stops.ts';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = makeTempDir();
  db = openDatabase(dir);
  const settings = new Settings(db, silentLogger);
  settings.write(
    CALENDAR_SETTINGS_KEY,
    ShiftCalendarSchema,
    ShiftCalendarSchema.parse({
      ...defaultShiftCalendar('en'),
      timeZone: 'Asia/Shanghai',
      plannedDowntime: [{ from: '2026-05-04T14:00', to: '2026-05-04T16:00', reason: 'Mould change', machineIds: ['imm1'] }],
    }),
  );
  const machine = { runningStates: [1], partCounter: 'p.count', idealCycleTimeS: 30 };
  settings.write(
    MACHINES_SETTINGS_KEY,
    MachineSettingsSchema,
    MachineSettingsSchema.parse({
      machines: [
        { id: 'cnc1', name: 'CNC-1', deviceId: 'dev-cnc', stateTag: 'dev-cnc.state', ...machine },
        { id: 'imm1', name: 'IMM-1', deviceId: 'dev-imm', stateTag: 'dev-imm.state', ...machine },
      ],
    }),
  );
});
afterEach(() => {
  db.close();
  removeDir(dir);
});

/** 2026-05-04 at hh:mm in Shanghai (UTC+8). */
const at = (hh: number, mm: number) => Date.UTC(2026, 4, 4, hh - 8, mm);

describe('plannedStopCheck', () => {
  it('is true in a machine’s meal break and planned downtime, false otherwise', () => {
    const check = plannedStopCheck({ db, logger: silentLogger, now: () => at(9, 0) });
    expect(check('dev-cnc.temp', at(12, 10), 'dev-cnc')).toBe(true);
    expect(check(null, at(0, 15), 'dev-cnc')).toBe(true);
    expect(check('dev-cnc.temp', at(12, 40), 'dev-cnc')).toBe(false);
    expect(check('dev-imm.temp', at(15, 0), 'dev-imm')).toBe(true);
    expect(check('dev-cnc.temp', at(15, 0), 'dev-cnc')).toBe(false);
    expect(check('meter.kw', at(12, 10), 'meter')).toBe(false);
  });
});
