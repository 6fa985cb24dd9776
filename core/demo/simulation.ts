// The demo plant's machines as behaviour, not noise: a CNC that cycles, loads and sometimes stops on
// an alarm; an injection moulding machine holding its barrel temperatures; a three-phase meter that
// measures the cell. Counters only increase, across restarts too (they start from the calendar).
// Each model writes its values into the register image its Modbus server serves (see docs/demo-plant.md).
import { encodeValue, type DataType, type WordOrder } from '../../shared/index.ts';
import type { MeterReading } from './meter-maps.ts';

export const MACHINE_STATE = { idle: 0, running: 1, alarm: 2 } as const;
type MachineState = (typeof MACHINE_STATE)[keyof typeof MACHINE_STATE];

/** Counters start from the calendar at first start (days since 2026-01-01), then from the saved state. */
const EPOCH = Date.UTC(2026, 0, 1);

/** A first-start counter value that grows with the calendar (later starts continue from the saved value). */
export const calendarCount = (now: number, msPerCount: number) => Math.floor((now - EPOCH) / msPerCount);

/** More than the demo cell can ever draw: what a saved kWh reading grows by per hour the plant was off. */
export const MAX_DEMO_KW = 60;

/** A small seeded generator (mulberry32), so a demo run and a test run are repeatable. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class RegisterImage {
  readonly registers: Uint16Array;
  constructor(size: number) {
    this.registers = new Uint16Array(size);
  }
  write(address: number, value: number, dataType: DataType, order: WordOrder = 'ABCD'): void {
    this.registers.set(encodeValue(value, dataType, order), address);
  }
  read(address: number, count: number): number[] {
    if (address < 0 || address + count > this.registers.length) {
      throw Object.assign(new Error('Illegal data address'), { modbusErrorCode: 0x02 });
    }
    return Array.from(this.registers.subarray(address, address + count));
  }
}

export interface SimulatedMachine {
  readonly image: RegisterImage;
  /** A write from a Modbus client; throws a Modbus exception for registers that are read-only. */
  writeRegister?(address: number, value: number): void;
  /** Advances the machine to `now` (ms); called a few times a second. */
  step(now: number): void;
  /** Electrical power the machine draws now, in kW, for the meter. */
  readonly powerKw: number;
}

/** Moves `value` a fraction of the way to `target`, plus noise. */
function approach(value: number, target: number, rate: number, noise: number, random: () => number): number {
  return value + (target - value) * rate + (random() - 0.5) * noise;
}

const illegal = (code: number, message: string) => Object.assign(new Error(message), { modbusErrorCode: code });

export class CncMachine implements SimulatedMachine {
  readonly image = new RegisterImage(16);
  readonly #random: () => number;
  state: MachineState = MACHINE_STATE.running;
  /** Feed override in %, the one register an operator may write (address 5, 0-150). */
  feedOverride = 100;
  #stateUntil: number;
  #cycleEndsAt: number;
  #parts: number;
  #spindleRpm = 0;
  #spindleLoad = 0;

  constructor(now: number, seed = 1, parts = calendarCount(now, 52_000)) {
    this.#random = seededRandom(seed);
    this.#parts = parts;
    this.#cycleEndsAt = now + this.#cycleMs();
    this.#stateUntil = Number.POSITIVE_INFINITY;
    this.#publish();
  }

  get powerKw(): number {
    return this.state === MACHINE_STATE.running ? 4 + this.#spindleLoad * 0.09 : 1.2;
  }

  get parts(): number {
    return this.#parts;
  }

  /** Cycles run slower at a lower feed override. */
  #cycleMs(): number {
    return (38_000 + this.#random() * 14_000) * (100 / Math.max(10, this.feedOverride));
  }

  writeRegister(address: number, value: number): void {
    if (address !== 5) throw illegal(0x02, 'read-only register');
    if (value > 150) throw illegal(0x03, 'feed override above 150 %');
    this.feedOverride = value;
    this.#publish();
  }

  step(now: number): void {
    if (this.state === MACHINE_STATE.running && now >= this.#cycleEndsAt) {
      this.#parts++;
      const roll = this.#random();
      if (roll < 0.04) this.#enter(MACHINE_STATE.alarm, now, 30_000 + this.#random() * 60_000);
      else if (roll < 0.2) this.#enter(MACHINE_STATE.idle, now, 15_000 + this.#random() * 45_000);
      else this.#cycleEndsAt = now + this.#cycleMs();
    } else if (this.state !== MACHINE_STATE.running && now >= this.#stateUntil) {
      this.#enter(MACHINE_STATE.running, now, Number.POSITIVE_INFINITY);
      this.#cycleEndsAt = now + this.#cycleMs();
    }
    const running = this.state === MACHINE_STATE.running;
    const cutting = running && (now / 7000) % 1 < 0.75;
    this.#spindleRpm = Math.max(0, approach(this.#spindleRpm, cutting ? 8000 : running ? 2500 : 0, 0.3, running ? 60 : 0, this.#random));
    this.#spindleLoad = Math.max(0, approach(this.#spindleLoad, cutting ? 55 : running ? 12 : 0, 0.25, running ? 6 : 0, this.#random));
    this.#publish();
  }

  #enter(state: MachineState, now: number, durationMs: number): void {
    this.state = state;
    this.#stateUntil = now + durationMs;
  }

  #publish(): void {
    this.image.write(0, this.state, 'uint16');
    this.image.write(1, Math.round(this.#spindleRpm), 'uint16');
    this.image.write(2, Math.round(this.#spindleLoad * 10), 'uint16');
    this.image.write(3, this.#parts % 2 ** 32, 'uint32');
    this.image.write(5, this.feedOverride, 'uint16');
  }
}

/** The share of shots a moulding machine in good order rejects. */
const SCRAP_SHARE = 0.02;

export class MouldingMachine implements SimulatedMachine {
  readonly image = new RegisterImage(16);
  readonly #random: () => number;
  readonly #setpoints = [220, 230, 240];
  state: MachineState = MACHINE_STATE.running;
  #stateUntil = Number.POSITIVE_INFINITY;
  #zones = [220, 230, 240];
  #mouldC = 45;
  #cycleStartedAt: number;
  #cycleMs: number;
  #lastCycleS = 24;
  #shots: number;
  #scrap: number;
  #pressureBar = 0;
  /** Extra heat on zone 3, for a barrel over-temperature the demo can be told to cause. */
  overheatC = 0;

  constructor(now: number, seed = 2, shots = calendarCount(now, 26_000), scrap = Math.floor(shots * SCRAP_SHARE)) {
    this.#random = seededRandom(seed);
    this.#shots = shots;
    this.#scrap = Math.min(scrap, shots);
    this.#cycleStartedAt = now;
    this.#cycleMs = this.#nextCycleMs();
    this.#publish();
  }

  get powerKw(): number {
    const heaters = 6;
    return this.state === MACHINE_STATE.running ? heaters + 9 + this.#pressureBar * 0.01 : heaters;
  }

  get shots(): number {
    return this.#shots;
  }

  /** Shots rejected: about 2 %, many more while a barrel zone is far off its setpoint. */
  get scrap(): number {
    return this.#scrap;
  }

  #nextCycleMs(): number {
    return 23_000 + this.#random() * 2_500;
  }

  step(now: number): void {
    if (this.state === MACHINE_STATE.running && now - this.#cycleStartedAt >= this.#cycleMs) {
      this.#shots++;
      const offBand = this.#zones.some((celsius, zone) => Math.abs(celsius - (this.#setpoints[zone] ?? 220)) > 10);
      if (this.#random() < (offBand ? 0.5 : SCRAP_SHARE)) this.#scrap++;
      this.#lastCycleS = this.#cycleMs / 1000;
      this.#cycleStartedAt = now;
      this.#cycleMs = this.#nextCycleMs();
      if (this.#random() < 0.03) {
        this.state = MACHINE_STATE.idle;
        this.#stateUntil = now + 20_000 + this.#random() * 40_000;
      }
    } else if (this.state !== MACHINE_STATE.running && now >= this.#stateUntil) {
      this.state = MACHINE_STATE.running;
      this.#stateUntil = Number.POSITIVE_INFINITY;
      this.#cycleStartedAt = now;
    }
    this.#zones = this.#zones.map((value, zone) =>
      approach(value, (this.#setpoints[zone] ?? 220) + (zone === 2 ? this.overheatC : 0), 0.08, 0.6, this.#random),
    );
    this.#mouldC = approach(this.#mouldC, this.state === MACHINE_STATE.running ? 45 : 38, 0.02, 0.2, this.#random);
    const phase = (now - this.#cycleStartedAt) / this.#cycleMs;
    const injecting = this.state === MACHINE_STATE.running && phase < 0.25;
    this.#pressureBar = Math.max(0, approach(this.#pressureBar, injecting ? 1100 : 80, 0.5, 20, this.#random));
    this.#publish();
  }

  #publish(): void {
    this.image.write(0, this.state, 'uint16');
    this.#zones.forEach((celsius, zone) => this.image.write(1 + zone, Math.round(celsius * 10), 'int16'));
    this.image.write(4, Math.round(this.#mouldC * 10), 'int16');
    this.image.write(5, this.#lastCycleS, 'float32');
    this.image.write(7, this.#shots % 2 ** 32, 'uint32');
    this.image.write(9, Math.round(this.#pressureBar), 'uint16');
    this.image.write(10, this.#scrap % 2 ** 32, 'uint32');
  }
}

/** A three-phase meter in float32 CDAB word order (its values in manufacturers' maps: meter-maps.ts). */
export class PowerMeter implements SimulatedMachine {
  readonly image = new RegisterImage(24);
  readonly #random: () => number;
  readonly #loads: readonly SimulatedMachine[];
  #kwh: number;
  #lastStep: number;
  #kw = 0;
  #reading: MeterReading = { volts: [0, 0, 0], amps: [0, 0, 0], phaseKw: [0, 0, 0], kw: 0, powerFactor: 1, hz: 50, kwh: 0 };

  constructor(now: number, loads: readonly SimulatedMachine[], seed = 3, kwh = ((now - EPOCH) / 3_600_000) * 17.5) {
    this.#random = seededRandom(seed);
    this.#loads = loads;
    this.#kwh = kwh;
    this.#lastStep = now;
    this.step(now);
  }

  get powerKw(): number {
    return this.#kw;
  }

  get kwh(): number {
    return this.#kwh;
  }

  /** The last values, for the register maps of other meter models (meter-maps.ts). */
  get reading(): MeterReading {
    return this.#reading;
  }

  step(now: number): void {
    const base = 2.5;
    this.#kw = base + this.#loads.reduce((sum, load) => sum + load.powerKw, 0) + (this.#random() - 0.5) * 0.4;
    const hours = Math.max(0, now - this.#lastStep) / 3_600_000;
    this.#kwh += this.#kw * hours;
    this.#lastStep = now;
    const powerFactor = 0.9 + this.#random() * 0.04;
    const volts = [0, 1, 2].map(() => 230 + (this.#random() - 0.5) * 3);
    const amps = volts.map((v, phase) => ((this.#kw * 1000) / (3 * v * powerFactor)) * (1 + (phase - 1) * 0.04));
    const write = (address: number, value: number) => this.image.write(address, value, 'float32', 'CDAB');
    volts.forEach((v, phase) => write(phase * 2, v));
    amps.forEach((a, phase) => write(6 + phase * 2, a));
    write(12, this.#kw);
    write(14, powerFactor);
    write(18, this.#kwh);
    this.#reading = { volts, amps, phaseKw: volts.map((v, phase) => (v * (amps[phase] ?? 0) * powerFactor) / 1000), kw: this.#kw, powerFactor, hz: 50 + (this.#random() - 0.5) * 0.04, kwh: this.#kwh };
    write(16, this.#reading.hz);
  }
}
