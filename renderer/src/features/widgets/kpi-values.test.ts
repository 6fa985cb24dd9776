import { describe, expect, it } from 'vitest';
import { bandTone, barValue, formatKpiNumber, kpiUnit, machineKpi, plantFactors, plantKpi, plantLosses, stateTone } from './kpi-values.ts';
import { machine, overview } from './test-overview.ts';

const HOUR = 3_600_000;

describe('plant figures from the machines', () => {
  const cnc = machine('cnc', {
    oee: { availability: 0.75, performance: 0.8, quality: 0.9, oee: 0.54, plannedMs: 4 * HOUR, runMs: 3 * HOUR },
    output: { total: 100, good: 90, scrap: 10 },
  });
  const press = machine('press', {
    oee: { availability: 1, performance: 0.5, quality: 1, oee: 0.5, plannedMs: 4 * HOUR, runMs: 4 * HOUR },
    output: { total: 300, good: 300, scrap: 0 },
  });

  it('weighs availability by planned time and quality by parts, and derives performance from OEE', () => {
    const factors = plantFactors(overview([cnc, press]));
    expect(factors.availability).toBeCloseTo(7 / 8);
    expect(factors.quality).toBeCloseTo(390 / 400);
    // No plant OEE from the engine: the machines' OEE weighted by planned time.
    expect(factors.oee).toBeCloseTo(0.52);
    expect(factors.performance).toBeCloseTo(0.52 / ((7 / 8) * (390 / 400)));
  });

  it("uses the engine's plant OEE when it gives one", () => {
    expect(plantFactors(overview([cnc, press], { plant: { oee: 0.6, output: 400, energyKwh: null, energyCost: null, peakDemandKw: null } })).oee).toBe(0.6);
  });

  it('has no factors for a plant with nothing planned', () => {
    const idle = machine('idle', { oee: { availability: null, performance: null, quality: null, oee: null, plannedMs: 0, runMs: 0 }, output: { total: 0, good: 0, scrap: 0 } });
    expect(plantFactors(overview([idle]))).toEqual({ availability: null, performance: null, quality: null, oee: null });
  });

  it('adds up losses and merges stop reasons', () => {
    const losses = plantLosses([machine('a'), machine('b')]);
    expect(losses.unplannedStopMs).toBe(0.8 * HOUR);
    expect(losses.byReason).toEqual({ toolChange: 0.6 * HOUR, unassigned: 0.2 * HOUR });
  });

  it('picks the figure a tile or a bar stands for', () => {
    const plant = overview([cnc, press]);
    expect(plantKpi(plant, 'output')).toBe(400);
    expect(plantKpi(plant, 'scrap')).toBe(10);
    expect(plantKpi(plant, 'peakDemandKw')).toBe(31.5);
    expect(machineKpi(cnc, 'availability')).toBe(0.75);
    expect(machineKpi(cnc, 'good')).toBe(90);
    expect(barValue(plant, { kpi: 'quality', machineId: 'cnc' })).toBe(0.9);
    expect(barValue(plant, { kpi: 'output', machineId: null })).toBe(400);
    expect(barValue(plant, { kpi: 'output', machineId: 'gone' })).toBeNull();
  });
});

describe('how figures are written', () => {
  it('writes ratios as percentages, parts whole and energy with fewer decimals as it grows', () => {
    expect(kpiUnit('oee')).toBe('percent');
    expect(kpiUnit('scrap')).toBe('parts');
    expect(formatKpiNumber(0.8534, 'percent', 'en')).toBe('85.3');
    expect(formatKpiNumber(12_345, 'parts', 'en')).toBe('12,345');
    expect(formatKpiNumber(1234.56, 'kWh', 'zh-CN')).toBe('1,235');
    expect(formatKpiNumber(86.44, 'kWh', 'en')).toBe('86.4');
    expect(formatKpiNumber(0.214, 'kWhPerPart', 'en')).toBe('0.214');
    expect(formatKpiNumber(null, 'percent', 'en')).toBeNull();
  });

  it('colours states and bands as a plant manager reads them', () => {
    expect([stateTone('running'), stateTone('idle'), stateTone('stopped'), stateTone('alarm'), stateTone('offline'), stateTone('unknown')]).toEqual([
      'good',
      'warn',
      'bad',
      'bad',
      'off',
      'off',
    ]);
    const oee = { warn: 60, good: 85 };
    expect([bandTone(90, oee), bandTone(70, oee), bandTone(40, oee), bandTone(null, oee)]).toEqual(['good', 'warn', 'bad', 'off']);
    expect(bandTone(120, { warn: 150, good: 100, lowerIsBetter: true })).toBe('warn');
  });
});
