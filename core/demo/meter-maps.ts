// The demo power meter in the register maps of three meters sold in China, each as its public manual
// gives it (addresses, data types, word order, scaling), so the energy template's profiles can be
// tried against the demo plant: Chint DTSU666 at unit id 2, Acrel ADL400 at unit id 3, Schneider
// PM5xxx at unit id 4 (unit id 1 and any other keep the demo's own map). Sources: docs/templates.md.
import type { DataType, WordOrder } from '../../shared/index.ts';
import { RegisterImage } from './simulation.ts';

/** What a three-phase meter measures at one moment, in plain units. */
export interface MeterReading {
  /** Phase-to-neutral voltages L1, L2, L3 (V). */
  volts: readonly number[];
  /** Phase currents (A). */
  amps: readonly number[];
  /** Active power per phase (kW). */
  phaseKw: readonly number[];
  kw: number;
  powerFactor: number;
  hz: number;
  /** Active energy imported, as the register counts it (kWh, only increases). */
  kwh: number;
}

interface Register {
  address: number;
  dataType: DataType;
  /** The register holds value ÷ scale (a DTSU666 voltage register holds 0.1 V steps: scale 0.1). */
  scale: number;
  value: (reading: MeterReading) => number;
}

interface MeterMap {
  model: string;
  unitId: number;
  size: number;
  wordOrder: WordOrder;
  registers: readonly Register[];
}

const lineVolts = (reading: MeterReading, from: number, to: number) => {
  const a = reading.volts[from] ?? 0;
  const b = reading.volts[to] ?? 0;
  return Math.sqrt(a * a + b * b + a * b);
};
const phases = <T>(make: (phase: number) => T): T[] => [0, 1, 2].map(make);

/** Chint DTSU666: IEEE float32, high word first, in 0.1 V, 0.001 A, 0.1 W, 0.001 and 0.01 Hz steps; energy in kWh. */
const DTSU666: MeterMap = {
  model: 'DTSU666',
  unitId: 2,
  size: 0x4030,
  wordOrder: 'ABCD',
  registers: [
    { address: 0x2000, dataType: 'float32', scale: 0.1, value: (r) => lineVolts(r, 0, 1) },
    { address: 0x2002, dataType: 'float32', scale: 0.1, value: (r) => lineVolts(r, 1, 2) },
    { address: 0x2004, dataType: 'float32', scale: 0.1, value: (r) => lineVolts(r, 2, 0) },
    ...phases((phase): Register => ({ address: 0x2006 + phase * 2, dataType: 'float32', scale: 0.1, value: (r) => r.volts[phase] ?? 0 })),
    ...phases((phase): Register => ({ address: 0x200c + phase * 2, dataType: 'float32', scale: 0.001, value: (r) => r.amps[phase] ?? 0 })),
    { address: 0x2012, dataType: 'float32', scale: 0.1, value: (r) => r.kw * 1000 },
    ...phases((phase): Register => ({ address: 0x2014 + phase * 2, dataType: 'float32', scale: 0.1, value: (r) => (r.phaseKw[phase] ?? 0) * 1000 })),
    { address: 0x202a, dataType: 'float32', scale: 0.001, value: (r) => r.powerFactor },
    { address: 0x2044, dataType: 'float32', scale: 0.01, value: (r) => r.hz },
    { address: 0x401e, dataType: 'float32', scale: 1, value: (r) => r.kwh },
    { address: 0x4028, dataType: 'float32', scale: 1, value: () => 0 },
  ],
};

/**
 * Acrel ADL400: 16-bit integers (secondary values: the CT ratio multiplies currents, power and
 * energy), 0.1 V, 0.01 A, 0.001 kW, 0.001, 0.01 Hz; energy as uint32 high word first in 0.01 kWh.
 * The demo meter is wired through 100/5 A current transformers: CT ratio 20.
 */
export const DEMO_ADL400_CT_RATIO = 20;
const secondary = (value: number) => value / DEMO_ADL400_CT_RATIO;
const ADL400: MeterMap = {
  model: 'ADL400',
  unitId: 3,
  size: 0x80,
  wordOrder: 'ABCD',
  registers: [
    { address: 0x0000, dataType: 'uint32', scale: 0.01, value: (r) => secondary(r.kwh) },
    { address: 0x000a, dataType: 'uint32', scale: 0.01, value: (r) => secondary(r.kwh) },
    { address: 0x0014, dataType: 'uint32', scale: 0.01, value: () => 0 },
    ...phases((phase): Register => ({ address: 0x0061 + phase, dataType: 'uint16', scale: 0.1, value: (r) => r.volts[phase] ?? 0 })),
    ...phases((phase): Register => ({ address: 0x0064 + phase, dataType: 'uint16', scale: 0.01, value: (r) => secondary(r.amps[phase] ?? 0) })),
    ...phases((phase): Register => ({ address: 0x0067 + phase, dataType: 'int16', scale: 0.001, value: (r) => secondary(r.phaseKw[phase] ?? 0) })),
    { address: 0x006a, dataType: 'int16', scale: 0.001, value: (r) => secondary(r.kw) },
    ...phases((phase): Register => ({ address: 0x0073 + phase, dataType: 'int16', scale: 0.001, value: (r) => r.powerFactor })),
    { address: 0x0076, dataType: 'int16', scale: 0.001, value: (r) => r.powerFactor },
    { address: 0x0077, dataType: 'uint16', scale: 0.01, value: (r) => r.hz },
  ],
};

/**
 * Schneider PowerLogic PM5xxx: IEEE float32 high word first in A, V, kW, Hz; energy delivered as
 * INT64 in Wh. The manual's register numbers are one-based (3000): the protocol address is one less.
 */
const PM5XXX: MeterMap = {
  model: 'PM5xxx',
  unitId: 4,
  size: 3300,
  wordOrder: 'ABCD',
  registers: [
    ...phases((phase): Register => ({ address: 2999 + phase * 2, dataType: 'float32', scale: 1, value: (r) => r.amps[phase] ?? 0 })),
    { address: 3009, dataType: 'float32', scale: 1, value: (r) => r.amps.reduce((sum, a) => sum + a, 0) / 3 },
    { address: 3019, dataType: 'float32', scale: 1, value: (r) => lineVolts(r, 0, 1) },
    { address: 3021, dataType: 'float32', scale: 1, value: (r) => lineVolts(r, 1, 2) },
    { address: 3023, dataType: 'float32', scale: 1, value: (r) => lineVolts(r, 2, 0) },
    ...phases((phase): Register => ({ address: 3027 + phase * 2, dataType: 'float32', scale: 1, value: (r) => r.volts[phase] ?? 0 })),
    { address: 3035, dataType: 'float32', scale: 1, value: (r) => r.volts.reduce((sum, v) => sum + v, 0) / 3 },
    ...phases((phase): Register => ({ address: 3053 + phase * 2, dataType: 'float32', scale: 1, value: (r) => r.phaseKw[phase] ?? 0 })),
    { address: 3059, dataType: 'float32', scale: 1, value: (r) => r.kw },
    // Four-quadrant power factor: in quadrant I (importing, inductive) the plain value.
    { address: 3083, dataType: 'float32', scale: 1, value: (r) => r.powerFactor },
    { address: 3109, dataType: 'float32', scale: 1, value: (r) => r.hz },
    { address: 3203, dataType: 'int64', scale: 1, value: (r) => r.kwh * 1000 },
  ],
};

export const METER_MAPS: readonly MeterMap[] = [DTSU666, ADL400, PM5XXX];

/**
 * What the energy template's form needs to read the demo meter as each model (its `model` choices):
 * the unit id that answers that model's map, and the CT ratio to enter.
 */
export const DEMO_METER_MODELS: Record<'dtsu666' | 'adl400' | 'pm5xxx', { unitId: number; ctRatio: number }> = {
  dtsu666: { unitId: DTSU666.unitId, ctRatio: 1 },
  adl400: { unitId: ADL400.unitId, ctRatio: DEMO_ADL400_CT_RATIO },
  pm5xxx: { unitId: PM5XXX.unitId, ctRatio: 1 },
};

/** One register image per modelled meter, rewritten from each new reading. */
export class MeterMapImages {
  readonly #images = new Map<number, { map: MeterMap; image: RegisterImage }>();

  constructor() {
    for (const map of METER_MAPS) this.#images.set(map.unitId, { map, image: new RegisterImage(map.size) });
  }

  /** The image for a unit id, or undefined for the demo's own map. */
  image(unitId: number): RegisterImage | undefined {
    return this.#images.get(unitId)?.image;
  }

  publish(reading: MeterReading): void {
    for (const { map, image } of this.#images.values()) {
      for (const register of map.registers) image.write(register.address, register.value(reading) / register.scale, register.dataType, map.wordOrder);
    }
  }
}
