// The demo plant's machines over one simulated day, stepped as the live demo steps them (every 200 ms),
// read back through their register images the way a Modbus client would decode them.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRegisters, type DataType, type WordOrder } from '../../shared/index.ts';
import { CncMachine, MACHINE_STATE, MouldingMachine, PowerMeter, RegisterImage, type SimulatedMachine } from './simulation.ts';

const START = Date.UTC(2026, 4, 4, 6, 0, 0);
const DAY_MS = 86_400_000;
const STEP_MS = 200;

const read = (machine: SimulatedMachine, address: number, dataType: DataType, order: WordOrder = 'ABCD'): number =>
  decodeRegisters(machine.image.read(address, dataType === 'float32' || dataType === 'uint32' ? 2 : 1), dataType, order) as number;

interface DayRecord {
  start: { parts: number; shots: number; kwh: number };
  end: { parts: number; shots: number; kwh: number };
  /** Largest step backwards seen in each counter, as the machine holds it and as its registers show it. */
  worstDrop: Record<'parts' | 'partsRegister' | 'shots' | 'shotsRegister' | 'kwh' | 'kwhRegister', number>;
  cncStates: Set<number>;
  cncStateRegisters: Set<number>;
  volts: { min: number; max: number };
  kw: { min: number; max: number };
  /** Energy integrated from the kW register read once a second, as a user's report would. */
  integratedKwh: number;
  worstPowerMismatch: number;
  barrelZone1: { min: number; max: number };
  voltsReadAsAbcd: number[];
}

let day: DayRecord;

beforeAll(() => {
  const cnc = new CncMachine(START);
  const moulding = new MouldingMachine(START);
  const meter = new PowerMeter(START, [cnc, moulding]);
  // What the machines hold, checked at every step; what their registers show, checked once a second
  // as the poller reads them.
  const held = () => ({ parts: cnc.parts, shots: moulding.shots, kwh: meter.kwh });
  const shown = () => ({
    partsRegister: read(cnc, 3, 'uint32'),
    shotsRegister: read(moulding, 7, 'uint32'),
    kwhRegister: read(meter, 18, 'float32', 'CDAB'),
  });
  let previousHeld = held();
  let previousShown = shown();
  day = {
    start: { parts: cnc.parts, shots: moulding.shots, kwh: meter.kwh },
    end: { parts: 0, shots: 0, kwh: 0 },
    worstDrop: { parts: 0, partsRegister: 0, shots: 0, shotsRegister: 0, kwh: 0, kwhRegister: 0 },
    cncStates: new Set(),
    cncStateRegisters: new Set(),
    volts: { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY },
    kw: { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY },
    integratedKwh: 0,
    worstPowerMismatch: 0,
    barrelZone1: { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY },
    voltsReadAsAbcd: [],
  };
  for (let now = START + STEP_MS, step = 1; now <= START + DAY_MS; now += STEP_MS, step++) {
    cnc.step(now);
    moulding.step(now);
    meter.step(now);
    const currentHeld = held();
    for (const key of Object.keys(currentHeld) as (keyof typeof currentHeld)[]) {
      day.worstDrop[key] = Math.max(day.worstDrop[key], previousHeld[key] - currentHeld[key]);
    }
    previousHeld = currentHeld;
    day.cncStates.add(cnc.state);
    if (step % 5 !== 0) continue;
    // Once a second, as the poller reads: the registers a user sees.
    const currentShown = shown();
    for (const key of Object.keys(currentShown) as (keyof typeof currentShown)[]) {
      day.worstDrop[key] = Math.max(day.worstDrop[key], previousShown[key] - currentShown[key]);
    }
    previousShown = currentShown;
    day.cncStateRegisters.add(read(cnc, 0, 'uint16'));
    const volts = [0, 2, 4].map((address) => read(meter, address, 'float32', 'CDAB'));
    const amps = [6, 8, 10].map((address) => read(meter, address, 'float32', 'CDAB'));
    const kw = read(meter, 12, 'float32', 'CDAB');
    const powerFactor = read(meter, 14, 'float32', 'CDAB');
    day.volts.min = Math.min(day.volts.min, ...volts);
    day.volts.max = Math.max(day.volts.max, ...volts);
    day.kw.min = Math.min(day.kw.min, kw);
    day.kw.max = Math.max(day.kw.max, kw);
    day.integratedKwh += kw / 3600;
    const threePhaseKw = volts.reduce((sum, v, phase) => sum + v * amps[phase]! * powerFactor, 0) / 1000;
    day.worstPowerMismatch = Math.max(day.worstPowerMismatch, Math.abs(threePhaseKw - kw) / kw);
    const zone1 = read(moulding, 1, 'int16') * 0.1;
    day.barrelZone1.min = Math.min(day.barrelZone1.min, zone1);
    day.barrelZone1.max = Math.max(day.barrelZone1.max, zone1);
    if (step % 36_000 === 0) day.voltsReadAsAbcd.push(read(meter, 0, 'float32', 'ABCD'));
  }
  day.end = { parts: cnc.parts, shots: moulding.shots, kwh: meter.kwh };
}, 120_000);

describe('a simulated day', () => {
  it('counters never step back: CNC parts, moulding shots and meter kWh, in the machine and in its registers', () => {
    expect(day.worstDrop).toEqual({ parts: 0, partsRegister: 0, shots: 0, shotsRegister: 0, kwh: 0, kwhRegister: 0 });
  });

  it('counters grow at the rate of their cycles (CNC 38–52 s, moulding 23–25.5 s, with stops)', () => {
    const parts = day.end.parts - day.start.parts;
    const shots = day.end.shots - day.start.shots;
    expect(parts).toBeGreaterThan(1000);
    expect(parts).toBeLessThanOrEqual(Math.floor(DAY_MS / 38_000));
    expect(shots).toBeGreaterThan(2500);
    expect(shots).toBeLessThanOrEqual(Math.floor(DAY_MS / 23_000));
  });

  it('counters start from the calendar, so a plant started in May already shows months of production', () => {
    expect(day.start.parts).toBe(Math.floor((START - Date.UTC(2026, 0, 1)) / 52_000));
    expect(day.start.shots).toBe(Math.floor((START - Date.UTC(2026, 0, 1)) / 26_000));
    expect(day.start.kwh).toBeGreaterThan(1000);
  });

  it('the CNC is seen running, idle and in alarm, and its state register says so', () => {
    const all = new Set<number>(Object.values(MACHINE_STATE));
    expect(day.cncStates).toEqual(all);
    expect(day.cncStateRegisters).toEqual(all);
  });

  it('the meter, decoded as float32 CDAB, shows plausible mains voltage and a positive load', () => {
    expect(day.volts.min).toBeGreaterThanOrEqual(220);
    expect(day.volts.max).toBeLessThanOrEqual(240);
    expect(day.kw.min).toBeGreaterThan(0);
    expect(day.kw.max).toBeLessThan(100);
    // Read in the wrong word order the same registers are nonsense: the order really matters.
    for (const wrong of day.voltsReadAsAbcd) expect(wrong >= 220 && wrong <= 240).toBe(false);
  });

  it("the meter's own readings agree: kW = Σ V·I·PF of the three phases, and kWh is the integral of kW", () => {
    expect(day.worstPowerMismatch).toBeLessThan(0.001);
    const metered = day.end.kwh - day.start.kwh;
    expect(metered).toBeGreaterThan(day.kw.min * 24);
    expect(metered).toBeLessThan(day.kw.max * 24);
    expect(Math.abs(day.integratedKwh - metered) / metered).toBeLessThan(0.01);
  });

  it('the moulding machine holds barrel zone 1 near its 220 °C setpoint', () => {
    expect(day.barrelZone1.min).toBeGreaterThan(215);
    expect(day.barrelZone1.max).toBeLessThan(225);
  });
});

describe('machines', () => {
  it('are repeatable: two machines started at the same time step through the same values', () => {
    const a = new CncMachine(START);
    const b = new CncMachine(START);
    for (let now = START; now <= START + 3_600_000; now += STEP_MS) {
      a.step(now);
      b.step(now);
    }
    expect(Array.from(a.image.registers)).toEqual(Array.from(b.image.registers));
    expect(a.parts).toBe(b.parts);
  });

  it('an overheating barrel zone 3 shows up in its register', () => {
    const moulding = new MouldingMachine(START);
    moulding.overheatC = 40;
    for (let now = START; now <= START + 120_000; now += STEP_MS) moulding.step(now);
    expect(read(moulding, 3, 'int16') * 0.1).toBeGreaterThan(270);
  });

  it('a register image refuses reads past its end with Modbus exception 2 (Illegal Data Address)', () => {
    const image = new RegisterImage(16);
    expect(image.read(14, 2)).toEqual([0, 0]);
    expect(() => image.read(15, 2)).toThrow(expect.objectContaining({ modbusErrorCode: 2 }));
    expect(() => image.read(-1, 1)).toThrow(expect.objectContaining({ modbusErrorCode: 2 }));
  });
});
