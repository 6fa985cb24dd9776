// A screw air compressor with load/unload control, as the demo plant's fourth machine: it loads at
// the lower pressure setpoint and unloads at the upper one while the plant's air demand wanders;
// after a long unloaded spell it stops until the pressure falls again. Pressure follows the receiver's
// mass balance, the discharge temperature follows the load with a time constant, the motor power
// follows pressure when loaded and falls to the unloaded power after blow-down. Running and loaded
// time only increase (across restarts too), and the hours to the next service count down.
import { calendarCount, RegisterImage, seededRandom, type SimulatedMachine } from './simulation.ts';

export const COMPRESSOR_STATE = { stopped: 0, unloaded: 1, loaded: 2, alarm: 3 } as const;
type CompressorState = (typeof COMPRESSOR_STATE)[keyof typeof COMPRESSOR_STATE];

/** A 22 kW oil-injected screw compressor on a 1 m³ receiver. */
export const COMPRESSOR_RATING = {
  /** Free air delivery at full load, m³/min. */
  fadM3PerMin: 3.6,
  loadBar: 6.5,
  unloadBar: 7.5,
  loadedKw: 24.5,
  unloadedKw: 7.2,
  /** Receiver and pipework volume, m³. */
  receiverM3: 1.0,
  /** Unloaded this long, it stops (auto-stop) until the pressure reaches the load setpoint. */
  autoStopS: 300,
  /** Oil, oil filter and separator: every 4000 running hours. */
  serviceIntervalH: 4000,
  /** Above this the controller trips (a blocked cooler). */
  tripC: 110,
} as const;

const ATMOSPHERE_BAR = 1.013;

export interface CompressorCounters {
  runSeconds: number;
  loadSeconds: number;
  kwh: number;
  airM3: number;
  loadCycles: number;
}

/** Counters at first start, from the calendar: a machine that has run about 60 % of the time since 2025. */
export function calendarCompressorCounters(now: number): CompressorCounters {
  const hours = calendarCount(now, 3_600_000) + 2_600;
  return { runSeconds: hours * 0.6 * 3600, loadSeconds: hours * 0.4 * 3600, kwh: hours * 0.4 * 24.5 + hours * 0.2 * 7.2, airM3: hours * 0.4 * 60 * 3.6, loadCycles: hours * 40 };
}

export class AirCompressor implements SimulatedMachine {
  readonly image = new RegisterImage(20);
  readonly #random: () => number;
  state: CompressorState = COMPRESSOR_STATE.loaded;
  /** Extra heat from a fouled cooler, °C above normal, for an over-temperature the demo can cause. */
  coolerFoulingC = 0;
  #pressureBar = 7.0;
  #dischargeC = 78;
  #kw: number = COMPRESSOR_RATING.loadedKw;
  #demandM3PerMin = 2.2;
  #unloadedSince = 0;
  #lastStep: number;
  #counters: CompressorCounters;

  constructor(now: number, seed = 4, counters: CompressorCounters = calendarCompressorCounters(now)) {
    this.#random = seededRandom(seed);
    this.#lastStep = now;
    this.#counters = { ...counters };
    this.#publish();
  }

  get powerKw(): number {
    return this.#kw;
  }

  get counters(): CompressorCounters {
    return { ...this.#counters };
  }

  get pressureBar(): number {
    return this.#pressureBar;
  }

  /** Air delivered now, m³/min of free air (zero unless loaded). */
  get deliveryM3PerMin(): number {
    if (this.state !== COMPRESSOR_STATE.loaded) return 0;
    return COMPRESSOR_RATING.fadM3PerMin * (1 - 0.03 * (this.#pressureBar - 7));
  }

  step(now: number): void {
    const seconds = Math.min(5, Math.max(0, now - this.#lastStep) / 1000);
    this.#lastStep = Math.max(this.#lastStep, now);
    if (seconds === 0) return;
    const rating = COMPRESSOR_RATING;
    // The plant's demand wanders between 1.2 and 3.2 m³/min, pulled back towards 2.2.
    this.#demandM3PerMin = Math.min(3.2, Math.max(1.2, this.#demandM3PerMin + (2.2 - this.#demandM3PerMin) * 0.002 * seconds + (this.#random() - 0.5) * 0.05 * Math.sqrt(seconds)));
    const delivered = this.deliveryM3PerMin;
    // Receiver mass balance: free air in minus free air out, at atmospheric pressure, over the volume.
    this.#pressureBar = Math.max(0, this.#pressureBar + ((delivered - this.#demandM3PerMin) * ATMOSPHERE_BAR * seconds) / (60 * rating.receiverM3));

    const running = this.state === COMPRESSOR_STATE.loaded || this.state === COMPRESSOR_STATE.unloaded;
    if (this.state === COMPRESSOR_STATE.loaded && this.#pressureBar >= rating.unloadBar) {
      this.state = COMPRESSOR_STATE.unloaded;
      this.#unloadedSince = now;
    } else if ((this.state === COMPRESSOR_STATE.unloaded || this.state === COMPRESSOR_STATE.stopped) && this.#pressureBar <= rating.loadBar) {
      this.state = COMPRESSOR_STATE.loaded;
      this.#counters.loadCycles++;
    } else if (this.state === COMPRESSOR_STATE.unloaded && now - this.#unloadedSince >= rating.autoStopS * 1000) {
      this.state = COMPRESSOR_STATE.stopped;
    } else if (this.state === COMPRESSOR_STATE.alarm && this.#dischargeC < rating.tripC - 25 && this.coolerFoulingC === 0) {
      this.state = COMPRESSOR_STATE.stopped;
    }
    if (running && this.#dischargeC >= rating.tripC) this.state = COMPRESSOR_STATE.alarm;

    const loaded = this.state === COMPRESSOR_STATE.loaded;
    const targetKw = loaded ? rating.loadedKw + 1.6 * (this.#pressureBar - rating.loadBar) : this.state === COMPRESSOR_STATE.unloaded ? rating.unloadedKw : 0;
    // Blow-down takes a few seconds; the motor power follows with a 2 s time constant.
    this.#kw = Math.max(0, this.#kw + (targetKw - this.#kw) * (1 - Math.exp(-seconds / 2)) + (loaded ? (this.#random() - 0.5) * 0.3 : 0));
    const targetC = loaded ? 82 : this.state === COMPRESSOR_STATE.unloaded ? 74 : 35;
    this.#dischargeC += (targetC + this.coolerFoulingC - this.#dischargeC) * (1 - Math.exp(-seconds / 60)) + (this.#random() - 0.5) * 0.2;

    if (this.state === COMPRESSOR_STATE.loaded || this.state === COMPRESSOR_STATE.unloaded) this.#counters.runSeconds += seconds;
    if (loaded) this.#counters.loadSeconds += seconds;
    this.#counters.kwh += (this.#kw * seconds) / 3600;
    this.#counters.airM3 += (delivered * seconds) / 60;
    this.#publish();
  }

  /** Whole hours until the next service, from the running hours. */
  get hoursToService(): number {
    const runHours = this.#counters.runSeconds / 3600;
    return Math.ceil(COMPRESSOR_RATING.serviceIntervalH - (runHours % COMPRESSOR_RATING.serviceIntervalH));
  }

  #publish(): void {
    const image = this.image;
    image.write(0, this.state, 'uint16');
    image.write(1, Math.round(this.#pressureBar * 100), 'uint16');
    image.write(2, Math.round(this.#dischargeC * 10), 'int16');
    image.write(3, Math.round(this.#kw * 10), 'uint16');
    image.write(4, Math.round(this.deliveryM3PerMin * 100), 'uint16');
    image.write(5, Math.floor(this.#counters.runSeconds) % 2 ** 32, 'uint32');
    image.write(7, Math.floor(this.#counters.loadSeconds) % 2 ** 32, 'uint32');
    image.write(9, this.hoursToService, 'uint16');
    image.write(10, Math.round(COMPRESSOR_RATING.unloadBar * 100), 'uint16');
    image.write(11, Math.round(COMPRESSOR_RATING.loadBar * 100), 'uint16');
    image.write(12, this.#counters.loadCycles % 2 ** 32, 'uint32');
    image.write(14, Math.floor(this.#counters.kwh * 10) % 2 ** 32, 'uint32');
    image.write(16, Math.floor(this.#counters.airM3 * 10) % 2 ** 32, 'uint32');
  }
}
