// KPIs as declarative definitions — inputs read from the history (a point with an aggregation, or a
// figure of a machine's OEE), a formula over them (shared/expressions), a unit, a target and which
// direction is good — so templates can ship them and the UI can check them before saving. Also the
// electricity tariff (peak, flat and valley bands by time of day, 峰/平/谷) the energy cost uses.
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { compileExpression, ExpressionError, isValidInputName, MAX_EXPRESSION_LENGTH, type CompiledExpression } from '../expressions/index.ts';
import type { Locale } from '../i18n/index.ts';
import { CLOCK_PATTERN } from './calendar.ts';

/** Where the tariff is kept in the settings table. */
export const TARIFF_SETTINGS_KEY = 'kpis.tariff';

/** Tariff bands, dearest first: critical peak (尖), peak (峰), flat (平), valley (谷). */
export const TARIFF_BANDS = ['critical', 'peak', 'flat', 'valley'] as const;
export type TariffBand = (typeof TARIFF_BANDS)[number];

const clock = z.string().regex(CLOCK_PATTERN, 'Use a time of day as HH:MM, for example 08:00');
const price = z.number().min(0).max(1000);

export const TariffBandSpanSchema = z.object({
  band: z.enum(TARIFF_BANDS),
  start: clock,
  /** At or before `start`: the span runs over midnight (23:00–07:00). */
  end: clock,
  /** The months (1–12) it applies in; empty: all year (a summer critical peak lists 7 and 8). */
  months: z.array(z.number().int().min(1).max(12)).max(12).default([]),
});
export type TariffBandSpan = z.infer<typeof TariffBandSpanSchema>;

export const TariffSchema = z.object({
  currency: z.string().min(1).max(8).default('CNY'),
  /** Price per kWh in each band. */
  prices: z.object({ critical: price.default(0), peak: price, flat: price, valley: price }),
  /** Time of day of each band, in the plant's time zone; time in no span is flat. */
  bands: z.array(TariffBandSpanSchema).max(48),
});
export type Tariff = z.infer<typeof TariffSchema>;
export type TariffInput = z.input<typeof TariffSchema>;

/**
 * A typical Chinese industrial time-of-use tariff: peak 08:00–11:00 and 18:00–21:00, valley
 * 23:00–07:00, flat otherwise. The prices are examples: enter the ones on the plant's electricity bill.
 */
export const DEFAULT_TARIFF: Tariff = {
  currency: 'CNY',
  prices: { critical: 1.25, peak: 1.05, flat: 0.65, valley: 0.32 },
  bands: [
    { band: 'peak', start: '08:00', end: '11:00', months: [] },
    { band: 'peak', start: '18:00', end: '21:00', months: [] },
    { band: 'valley', start: '23:00', end: '07:00', months: [] },
  ],
};

/** How a point's history over a period becomes one number. */
export const KPI_AGGREGATIONS = [
  /** Counter points: how much the counter rose (across resets and register rollover). */
  'increase',
  /** State points: seconds spent in any of the listed state values. */
  'timeInState',
  /** Time-weighted average. */
  'average',
  'last',
  'min',
  'max',
] as const;
export type KpiAggregation = (typeof KPI_AGGREGATIONS)[number];

/**
 * A machine's OEE figures a KPI can use as inputs; times in seconds. 'utilisation' is run time over
 * all the time of the period (planned or not) since the machine's history began.
 */
export const MACHINE_MEASURES = [
  'plannedTime',
  'runTime',
  'unplannedStopTime',
  'microStopTime',
  'plannedStopTime',
  'totalParts',
  'goodParts',
  'scrapParts',
  'energyKwh',
  'availability',
  'performance',
  'quality',
  'oee',
  'utilisation',
] as const;
export type MachineMeasure = (typeof MACHINE_MEASURES)[number];

const inputName = z.string().min(1).max(40);

export const KpiPointInputSchema = z.object({
  source: z.literal('point'),
  name: inputName,
  pointId: z.string().min(1).max(200),
  aggregation: z.enum(KPI_AGGREGATIONS),
  /** For 'timeInState': the state values that count. */
  states: z.array(z.number().finite()).max(50).optional(),
  /** Over the whole period, or only its planned production time (shift calendar). */
  within: z.enum(['period', 'planned']).default('period'),
});

export const KpiMachineInputSchema = z.object({
  source: z.literal('machine'),
  name: inputName,
  machineId: z.string().min(1).max(64),
  measure: z.enum(MACHINE_MEASURES),
});

export const KpiInputSchema = z.discriminatedUnion('source', [KpiPointInputSchema, KpiMachineInputSchema]);
export type KpiInput = z.infer<typeof KpiInputSchema>;
export type KpiPointInput = z.infer<typeof KpiPointInputSchema>;

export const KpiDefinitionSchema = z
  .object({
    id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'Use letters, digits, "_", "-" and "." only'),
    name: z.string().min(1).max(80),
    inputs: z.array(KpiInputSchema).min(1).max(20),
    /** The formula over the inputs' names, e.g. "good / total * 100". */
    expression: z.string().min(1).max(MAX_EXPRESSION_LENGTH),
    unit: z.string().max(16).default(''),
    target: z.number().finite().nullable().default(null),
    goodDirection: z.enum(['higher', 'lower']).default('higher'),
    decimals: z.number().int().min(0).max(6).default(2),
  })
  .superRefine((definition, context) => {
    definition.inputs.forEach((input, index) => {
      if (input.source === 'point' && input.aggregation === 'timeInState' && (input.states ?? []).length === 0) {
        context.addIssue({ code: 'custom', path: ['inputs', index, 'states'], message: 'List the state values whose time counts' });
      }
    });
  });
export type KpiDefinition = z.infer<typeof KpiDefinitionSchema>;
export type KpiDefinitionInput = z.input<typeof KpiDefinitionSchema>;

/**
 * Checks a KPI definition beyond its shape — input names, and the formula over them — and returns
 * its compiled formula. Throws AppError('invalid_input') with a sentence naming the KPI and the problem.
 */
export function checkKpiDefinition(definition: KpiDefinition, locale: Locale): CompiledExpression {
  const seen = new Set<string>();
  for (const input of definition.inputs) {
    if (!isValidInputName(input.name)) {
      throw new AppError('invalid_input', 'error.kpiInputName', { params: { kpi: definition.name, input: input.name } });
    }
    if (seen.has(input.name)) throw new AppError('invalid_input', 'error.kpiInputDuplicate', { params: { kpi: definition.name, input: input.name } });
    seen.add(input.name);
  }
  try {
    return compileExpression(definition.expression, [...seen]);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    throw new AppError('invalid_input', 'error.kpiExpression', {
      params: { kpi: definition.name, problem: error.describe(locale) },
      details: { problem: error.problem },
      cause: error,
    });
  }
}

/** Whether a KPI value meets its target, in the direction that is good; null without a target or a value. */
export function kpiStatus(value: number | null, target: number | null, goodDirection: 'higher' | 'lower'): 'good' | 'bad' | null {
  if (value === null || target === null) return null;
  return (goodDirection === 'higher' ? value >= target : value <= target) ? 'good' : 'bad';
}
