// Pay-for-results (issue 8 item 4): the outcome a template's plan pays for, computed from the
// historian. 'mean-daily-baseline' (energy saved against a baseline period): the energy counter's
// rise in the baseline period, per day, times the days measured, is what would have been used; the
// saving is that minus what was used. Figures are integers in Wh (the smallest unit; the counter's
// own unit, Wh, kWh or MWh, is converted, any other refused); the method is kept as a message with
// every figure, so the screen shows how the number was reached. The job issues one statement per
// closed day after the baseline window and after the plan began on this PC (plan-since.ts), for the
// sum over all the template's instances (each against its own baseline), and appends it to the
// outcome ledger.
import type { MessageKey } from '../../shared/i18n/index.ts';
import { translate } from '../../shared/i18n/index.ts';
import type { Db } from '../storage/database.ts';
import { DAY_MS } from '../kpis/calendar.ts';
import { HistoryReader, readPoints } from '../kpis/history.ts';
import type { Logger } from '../host.ts';
import type { TemplateInstance } from '../templates/template-installer.ts';
import { OutcomeLedger } from './outcome-ledger.ts';
import { PlanSince } from './plan-since.ts';
import { installedTemplates, instancePointId, type PlanOf } from './template-plans.ts';
import type { ClockState } from './usage-ledger.ts';

export const MEAN_DAILY_BASELINE = 'mean-daily-baseline';
export const DEFAULT_BASELINE_DAYS = 14;
/** A period counts only when the counter's signal was known for this share of it (the meter answered). */
export const MIN_COVERAGE = 0.95;
/** How long after a day ends its samples are taken as all in. */
export const SETTLE_MS = 5 * 60_000;
/** Statements issued per template per run at most. */
export const MAX_STATEMENTS_PER_RUN = 31;
/** Wh in one unit of an energy counter, by its unit in lower case. */
export const WH_PER_UNIT: Readonly<Record<string, number>> = { wh: 1, kwh: 1_000, mwh: 1_000_000 };

export interface Period {
  start: number;
  end: number;
}

type Method = { key: MessageKey; params: Record<string, string | number> };

export interface OutcomeFigures {
  /** The counter's rise in the baseline period, Wh. */
  baselineWh: number;
  /** The baseline scaled to the measured period (per day × days measured), Wh. */
  expectedWh: number;
  measuredWh: number;
  /** expected − measured, Wh (negative when more was used). */
  savedWh: number;
  method: Method;
}

export type OutcomeResult =
  | { ok: true; figures: OutcomeFigures }
  | { ok: false; reason: 'unknown_point' | 'not_a_counter' | 'not_covered' }
  | { ok: false; reason: 'unsupported_unit'; unit: string };

const kwh = (wh: number) => (wh / 1_000).toFixed(3);
const days = (ms: number) => String(Math.round((ms / DAY_MS) * 100) / 100);
const when = (ts: number) => `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A point's unit as configured ('' when none). */
function pointUnit(db: Db, pointId: string): string {
  const unit = db.prepare<[string], unknown>("SELECT json_extract(config, '$.unit') FROM points WHERE id = ?").pluck().get(pointId);
  return typeof unit === 'string' ? unit.trim() : '';
}

/**
 * Energy saved by 'mean-daily-baseline' from an energy counter point (Wh, kWh or MWh) over two periods.
 * @example baseline 14 days with 1,400 kWh, measured 1 day with 90 kWh → expected 100,000 Wh, saved 10,000 Wh
 */
export function computeOutcome(input: {
  db: Db;
  pointId: string;
  baseline: Period;
  measured: Period;
  /** Shared by the calls of one run. */
  reader?: HistoryReader;
  points?: ReturnType<typeof readPoints>;
}): OutcomeResult {
  const point = (input.points ?? readPoints(input.db)).get(input.pointId);
  if (!point) return { ok: false, reason: 'unknown_point' };
  if (point.kind !== 'counter') return { ok: false, reason: 'not_a_counter' };
  const unit = pointUnit(input.db, input.pointId);
  const whPerUnit = WH_PER_UNIT[unit.toLowerCase()];
  if (whPerUnit === undefined) return { ok: false, reason: 'unsupported_unit', unit };
  const reader = input.reader ?? new HistoryReader(input.db);
  const [baseline, measured] = reader.sums(
    point,
    [
      { from: input.baseline.start, to: input.baseline.end, group: 0 },
      { from: input.measured.start, to: input.measured.end, group: 1 },
    ],
    2,
  ) as [ReturnType<HistoryReader['sums']>[number], ReturnType<HistoryReader['sums']>[number]];
  const baselineMs = input.baseline.end - input.baseline.start;
  const measuredMs = input.measured.end - input.measured.start;
  if (baseline.coveredMs < baselineMs * MIN_COVERAGE || measured.coveredMs < measuredMs * MIN_COVERAGE) return { ok: false, reason: 'not_covered' };
  const baselineWh = Math.round(baseline.increase * whPerUnit);
  const measuredWh = Math.round(measured.increase * whPerUnit);
  const expectedWh = Math.round((baselineWh * measuredMs) / baselineMs);
  const savedWh = expectedWh - measuredWh;
  return {
    ok: true,
    figures: {
      baselineWh,
      expectedWh,
      measuredWh,
      savedWh,
      method: {
        key: 'sync.outcome.meanDailyBaseline',
        params: {
          baselineKwh: kwh(baselineWh),
          baselineDays: days(baselineMs),
          baselineStart: when(input.baseline.start),
          baselineEnd: when(input.baseline.end),
          perDayKwh: kwh((baselineWh * DAY_MS) / baselineMs),
          measuredDays: days(measuredMs),
          measuredStart: when(input.measured.start),
          measuredEnd: when(input.measured.end),
          expectedKwh: kwh(expectedWh),
          measuredKwh: kwh(measuredWh),
          savedKwh: kwh(savedWh),
        },
      },
    },
  };
}

/** One instance's figures for a measured period, against its own baseline. */
export interface InstanceOutcome {
  instanceId: string;
  baseline: Period;
  figures: OutcomeFigures;
}

/**
 * The template's outcome for a measured period: the instances' baselines and measurements each
 * summed. One instance keeps its own method sentence; several say they are a sum, and list each.
 */
export function sumOutcomes(parts: readonly InstanceOutcome[], measured: Period): { baseline: Period; figures: OutcomeFigures } {
  if (parts.length === 1) return { baseline: parts[0]!.baseline, figures: parts[0]!.figures };
  const total = (pick: (figures: OutcomeFigures) => number) => parts.reduce((sum, part) => sum + pick(part.figures), 0);
  const baselineWh = total((figures) => figures.baselineWh);
  const expectedWh = total((figures) => figures.expectedWh);
  const measuredWh = total((figures) => figures.measuredWh);
  const baseline = { start: Math.min(...parts.map((part) => part.baseline.start)), end: Math.max(...parts.map((part) => part.baseline.end)) };
  return {
    baseline,
    figures: {
      baselineWh,
      expectedWh,
      measuredWh,
      savedWh: expectedWh - measuredWh,
      method: {
        key: 'sync.outcome.meanDailyBaselineSum',
        params: {
          instances: parts.length,
          parts: parts.map((part) => `${part.instanceId} ${kwh(part.figures.expectedWh)} → ${kwh(part.figures.measuredWh)} kWh`).join('; '),
          baselineKwh: kwh(baselineWh),
          baselineStart: when(baseline.start),
          baselineEnd: when(baseline.end),
          measuredStart: when(measured.start),
          measuredEnd: when(measured.end),
          expectedKwh: kwh(expectedWh),
          measuredKwh: kwh(measuredWh),
          savedKwh: kwh(expectedWh - measuredWh),
        },
      },
    },
  };
}

export interface OutcomeJobOptions {
  db: Db;
  instances: () => readonly TemplateInstance[];
  planOf: PlanOf;
  clockState: () => ClockState;
  logger: Logger;
  now?: () => number;
}

/** Why a template's outcome cannot be stated, as a message key with its parameters. */
export interface OutcomeProblem {
  templateId: string;
  message: Method;
}

/** Issues the outcome statements due: one per closed day after each pay-for-results template's baseline window. */
export class OutcomeJob {
  readonly #options: OutcomeJobOptions;
  readonly #ledger: OutcomeLedger;
  readonly #planSince: PlanSince;
  readonly #now: () => number;
  readonly #problems = new Map<string, OutcomeProblem>();

  constructor(options: OutcomeJobOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ledger = new OutcomeLedger(options.db, { now: this.#now });
    this.#planSince = new PlanSince(options.db, options.logger);
  }

  /** Templates whose outcome could not be stated at the last run, and why (no statement was issued for them). */
  problems(): OutcomeProblem[] {
    return [...this.#problems.values()];
  }

  /** Returns how many statements were appended. */
  run(): number {
    const { db, logger } = this.#options;
    let issued = 0;
    for (const template of installedTemplates(db, this.#options.instances())) {
      const outcome = template.manifest.licence.outcome;
      const plan = this.#options.planOf(template.templateId);
      const planSince = this.#planSince.note(template.templateId, plan, this.#now(), () => this.#ledger.firstMeasuredStart(template.templateId));
      if (!outcome?.point || plan !== 'pay_for_results' || planSince === null) continue;
      if (outcome.baselineMethod !== MEAN_DAILY_BASELINE) {
        logger.warn('outcomes: unknown baseline method', { templateId: template.templateId, method: outcome.baselineMethod });
        continue;
      }
      this.#problems.delete(template.templateId);
      const baselineMs = (outcome.baselineDays ?? DEFAULT_BASELINE_DAYS) * DAY_MS;
      const instances = template.instances.map((instance) => ({
        instance,
        pointId: instancePointId(instance, outcome.point!),
        baseline: { start: instance.installedAt, end: instance.installedAt + baselineMs },
      }));
      // Days follow the oldest instance's baseline; the first is the first whole one after the plan began.
      const anchor = instances[0]!.baseline.end;
      const firstDay = anchor + Math.max(0, Math.ceil((planSince - anchor) / DAY_MS)) * DAY_MS;
      const reader = new HistoryReader(db);
      const points = readPoints(db);
      let start = Math.max(this.#ledger.lastMeasuredEnd(template.templateId, outcome.metric) ?? firstDay, firstDay);
      let count = 0;
      days: for (; start + DAY_MS + SETTLE_MS <= this.#now() && count < MAX_STATEMENTS_PER_RUN; start += DAY_MS) {
        const measured = { start, end: start + DAY_MS };
        const parts: InstanceOutcome[] = [];
        // Each instance whose own baseline is over, against that baseline.
        for (const { instance, pointId, baseline } of instances) {
          if (baseline.end > measured.start) continue;
          const result = computeOutcome({ db, pointId, baseline, measured, reader, points });
          if (result.ok) parts.push({ instanceId: instance.instanceId, baseline, figures: result.figures });
          // A meter that did not answer for most of the day is not claimed for it.
          else if (result.reason !== 'not_covered') {
            this.#refuse(template.templateId, pointId, result);
            break days;
          }
        }
        if (parts.length === 0) continue;
        const { baseline, figures } = sumOutcomes(parts, measured);
        this.#ledger.append({
          templateId: template.templateId,
          templateVersion: template.version,
          metric: outcome.metric,
          unit: 'Wh',
          baseline: { period: baseline, method: MEAN_DAILY_BASELINE, value: figures.expectedWh },
          measured: { period: measured, value: figures.measuredWh },
          clockState: this.#options.clockState(),
          method: figures.method,
        });
        count++;
      }
      issued += count;
    }
    if (issued > 0) logger.info('outcomes: statements issued', { statements: issued });
    return issued;
  }

  #refuse(templateId: string, point: string, result: Exclude<OutcomeResult, { ok: true } | { reason: 'not_covered' }>): void {
    const message: Method =
      result.reason === 'unsupported_unit'
        ? { key: 'sync.outcome.unsupportedUnit', params: { templateId, point, unit: result.unit || '—' } }
        : { key: 'sync.outcome.badPoint', params: { templateId, point } };
    this.#problems.set(templateId, { templateId, message });
    this.#options.logger.warn('outcomes: no statement issued', { templateId, point, reason: result.reason, message: translate('en', message.key, message.params) });
  }
}
