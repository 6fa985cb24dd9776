// Pay-for-results (issue 8 item 4): the outcome a template's plan pays for, computed from the
// historian. 'mean-daily-baseline' (energy saved against a baseline period): the energy counter's
// rise in the baseline period, per day, times the days measured, is what would have been used; the
// saving is that minus what was used. Figures are integers in Wh (the smallest unit); the method is
// kept as a message with every figure, so the screen shows how the number was reached. The job
// issues one statement per closed day after the baseline window and appends it to the outcome ledger.
import type { MessageKey } from '../../shared/i18n/index.ts';
import type { Db } from '../storage/database.ts';
import { HistoryReader, readPoints } from '../kpis/history.ts';
import type { Logger } from '../host.ts';
import type { TemplateInstance } from '../templates/template-installer.ts';
import { OutcomeLedger } from './outcome-ledger.ts';
import { installedTemplates, instancePointId, type PlanOf } from './template-plans.ts';
import type { ClockState } from './usage-ledger.ts';

export const DAY_MS = 86_400_000;
export const MEAN_DAILY_BASELINE = 'mean-daily-baseline';
export const DEFAULT_BASELINE_DAYS = 14;
/** A period counts only when the counter's signal was known for this share of it (the meter answered). */
export const MIN_COVERAGE = 0.95;
/** How long after a day ends its samples are taken as all in. */
export const SETTLE_MS = 5 * 60_000;
/** Statements issued per template per run at most. */
export const MAX_STATEMENTS_PER_RUN = 31;

export interface Period {
  start: number;
  end: number;
}

export interface OutcomeFigures {
  /** The counter's rise in the baseline period, Wh. */
  baselineWh: number;
  /** The baseline scaled to the measured period (per day × days measured), Wh. */
  expectedWh: number;
  measuredWh: number;
  /** expected − measured, Wh (negative when more was used). */
  savedWh: number;
  method: { key: MessageKey; params: Record<string, string | number> };
}

export type OutcomeResult = { ok: true; figures: OutcomeFigures } | { ok: false; reason: 'unknown_point' | 'not_a_counter' | 'not_covered' };

const kwh = (wh: number) => (wh / 1_000).toFixed(3);
const days = (ms: number) => String(Math.round((ms / DAY_MS) * 100) / 100);
const when = (ts: number) => `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Energy saved by 'mean-daily-baseline' from an energy counter point (kWh) over two periods.
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
  const baselineWh = Math.round(baseline.increase * 1_000);
  const measuredWh = Math.round(measured.increase * 1_000);
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

export interface OutcomeJobOptions {
  db: Db;
  instances: () => readonly TemplateInstance[];
  planOf: PlanOf;
  clockState: () => ClockState;
  logger: Logger;
  now?: () => number;
}

/** Issues the outcome statements due: one per closed day after each pay-for-results template's baseline window. */
export class OutcomeJob {
  readonly #options: OutcomeJobOptions;
  readonly #ledger: OutcomeLedger;
  readonly #now: () => number;

  constructor(options: OutcomeJobOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ledger = new OutcomeLedger(options.db, { now: this.#now });
  }

  /** Returns how many statements were appended. */
  run(): number {
    const { db, logger } = this.#options;
    let issued = 0;
    for (const template of installedTemplates(db, this.#options.instances())) {
      const outcome = template.manifest.licence.outcome;
      if (!outcome?.point || this.#options.planOf(template.templateId) !== 'pay_for_results') continue;
      if (outcome.baselineMethod !== MEAN_DAILY_BASELINE) {
        logger.warn('outcomes: unknown baseline method', { templateId: template.templateId, method: outcome.baselineMethod });
        continue;
      }
      const instance = template.instances[0]!;
      const pointId = instancePointId(instance, outcome.point);
      const baseline = { start: instance.installedAt, end: instance.installedAt + (outcome.baselineDays ?? DEFAULT_BASELINE_DAYS) * DAY_MS };
      const reader = new HistoryReader(db);
      const points = readPoints(db);
      let start = this.#ledger.lastMeasuredEnd(template.templateId, outcome.metric) ?? baseline.end;
      let count = 0;
      for (; start + DAY_MS + SETTLE_MS <= this.#now() && count < MAX_STATEMENTS_PER_RUN; start += DAY_MS) {
        const measured = { start, end: start + DAY_MS };
        const result = computeOutcome({ db, pointId, baseline, measured, reader, points });
        if (!result.ok) {
          // A day the meter did not answer for most of the time is not claimed.
          if (result.reason !== 'not_covered') {
            logger.warn('outcomes: cannot compute', { templateId: template.templateId, pointId, reason: result.reason });
            break;
          }
          continue;
        }
        this.#ledger.append({
          templateId: template.templateId,
          templateVersion: template.version,
          metric: outcome.metric,
          unit: 'Wh',
          baseline: { period: baseline, method: MEAN_DAILY_BASELINE, value: result.figures.expectedWh },
          measured: { period: measured, value: result.figures.measuredWh },
          clockState: this.#options.clockState(),
          method: result.figures.method,
        });
        count++;
      }
      issued += count;
    }
    if (issued > 0) logger.info('outcomes: statements issued', { statements: issued });
    return issued;
  }
}
