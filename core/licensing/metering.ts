// Metering for pay-after-use (issue 8 item 3): the `machine-hours` meter, the only one this app
// measures (SUPPORTED_METERS: a package declaring another is refused at install, or it would run
// unbilled). For each template on a pay-after-use plan whose manifest declares that meter, each
// closed hour since it was installed and since the plan began on this PC (plan-since.ts) is
// recorded once in the usage ledger: as many hours as instances whose devices sent good samples in
// that hour (the historian's rollups, and its newest raw samples), 0 when none did — so the ledger
// itself says how far metering has come. Catch-up after the app was off is bounded per run.
// `unreported` gives the units the cloud has not acknowledged, for the licence's offline credit cap.
import type { TemplateManifest } from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../storage/database.ts';
import { HOUR_MS } from '../historian/rollup.ts';
import { HistoryReader, readPoints, type GroupedInterval } from '../kpis/history.ts';
import type { Logger } from '../host.ts';
import type { TemplateInstance } from '../templates/template-installer.ts';
import { PlanSince } from './plan-since.ts';
import { installedTemplates, instancePointIds, type PlanOf } from './template-plans.ts';
import { UsageLedger, type ClockState } from './usage-ledger.ts';

export const MACHINE_HOURS = 'machine-hours';
/** The meters this app measures; a template may declare only these (checked where installs are allowed). */
export const SUPPORTED_METERS: readonly string[] = [MACHINE_HOURS];

/** Refuses a package that declares a meter this app does not measure: it would be installed and never billed. */
export function checkMetersSupported(manifest: TemplateManifest): void {
  const unknown = manifest.licence.meters.find((meter) => !SUPPORTED_METERS.includes(meter.id));
  if (unknown) {
    throw new AppError('invalid_input', 'sync.meter.unsupported', {
      params: { template: manifest.id, version: manifest.version, meter: unknown.id, supported: SUPPORTED_METERS.join(', ') },
      details: { meter: unknown.id },
    });
  }
}
/** How long after an hour ends its samples are taken as all in (the writer's batching, a slow poll). */
export const SETTLE_MS = 2 * 60_000;
/** Hours recorded per template per run at most: a long time off is caught up over several runs. */
export const MAX_CATCH_UP_HOURS = 7 * 24;

export interface MeterOptions {
  db: Db;
  /** The installed template instances (TemplateInstaller.list). */
  instances: () => readonly TemplateInstance[];
  planOf: PlanOf;
  /** `suspect` while the time floor finds the clock set back. */
  clockState: () => ClockState;
  /** The highest usage sequence the cloud acknowledged (SyncEngine.acknowledged('usage')). */
  acknowledgedUsage: () => number;
  logger: Logger;
  now?: () => number;
}

export interface MeterSummary {
  templateId: string;
  meter: string;
  unit: string;
  recordedUnits: number;
  unreportedUnits: number;
  lastPeriodEnd: number | null;
}

const ceilHour = (ts: number) => Math.ceil(ts / HOUR_MS) * HOUR_MS;
const floorHour = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;

export class Meter {
  readonly #options: MeterOptions;
  readonly #ledger: UsageLedger;
  readonly #planSince: PlanSince;
  readonly #now: () => number;

  constructor(options: MeterOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#ledger = new UsageLedger(options.db, { now: this.#now });
    this.#planSince = new PlanSince(options.db, options.logger);
  }

  /** Records the closed hours due; returns how many records were written. */
  run(): number {
    const { db } = this.#options;
    const points = readPoints(db);
    const pointsByDevice = new Map<string, string[]>();
    for (const point of points.values()) pointsByDevice.set(point.deviceId, [...(pointsByDevice.get(point.deviceId) ?? []), point.id]);
    const lastEnd = db.prepare<[string, string], number | null>('SELECT max(period_end) FROM usage_records WHERE template_id = ? AND meter = ? AND corrects IS NULL').pluck();
    const firstStart = db.prepare<[string], number | null>('SELECT min(period_start) FROM usage_records WHERE template_id = ? AND corrects IS NULL').pluck();
    const closedUntil = floorHour(this.#now() - SETTLE_MS);
    let written = 0;
    for (const template of installedTemplates(db, this.#options.instances())) {
      const meter = template.manifest.licence.meters.find((candidate) => candidate.id === MACHINE_HOURS);
      const plan = this.#options.planOf(template.templateId);
      const planSince = this.#planSince.note(template.templateId, plan, this.#now(), () => firstStart.get(template.templateId) ?? null);
      if (!meter || plan !== 'pay_after_use' || planSince === null) continue;
      // The first whole hour the template was both installed and on pay-after-use; then where the ledger stands.
      const from = Math.max(ceilHour(template.instances[0]!.installedAt), ceilHour(planSince), lastEnd.get(template.templateId, MACHINE_HOURS) ?? 0);
      const until = Math.min(closedUntil, from + MAX_CATCH_UP_HOURS * HOUR_MS);
      if (until <= from) continue;
      const hours = (until - from) / HOUR_MS;
      const intervals: GroupedInterval[] = Array.from({ length: hours }, (_, group) => ({ from: from + group * HOUR_MS, to: from + (group + 1) * HOUR_MS, group }));
      const running = new Array<number>(hours).fill(0);
      const reader = new HistoryReader(db);
      for (const instance of template.instances) {
        const active = new Array<boolean>(hours).fill(false);
        for (const pointId of instancePointIds(instance, template.manifest, pointsByDevice)) {
          const point = points.get(pointId);
          if (!point) continue;
          reader.sums(point, intervals, hours).forEach((sums, group) => {
            if (sums.count > 0) active[group] = true;
          });
        }
        // An instance counts from the first whole hour after it was installed.
        active.forEach((on, group) => {
          if (on && intervals[group]!.from >= ceilHour(instance.installedAt)) running[group]!++;
        });
      }
      const clockState = this.#options.clockState();
      db.transaction(() => {
        for (const { from: periodStart, to: periodEnd, group } of intervals) {
          this.#ledger.record({
            templateId: template.templateId,
            templateVersion: template.version,
            meter: MACHINE_HOURS,
            unit: meter.unit,
            value: running[group]!,
            periodStart,
            periodEnd,
            clockState,
          });
          written++;
        }
      }).immediate();
    }
    if (written > 0) this.#options.logger.info('metering: closed hours recorded', { records: written });
    return written;
  }

  /** Units of a template's meter recorded and not yet acknowledged by the cloud. */
  unreported(templateId: string, meter: string = MACHINE_HOURS): number {
    return this.#options.db
      .prepare<[string, string, number], number>('SELECT coalesce(sum(value), 0) FROM usage_records WHERE template_id = ? AND meter = ? AND sequence > ?')
      .pluck()
      .get(templateId, meter, this.#options.acknowledgedUsage())!;
  }

  /** Every meter in the ledger: units recorded, not yet acknowledged, and the last period closed. */
  summary(): MeterSummary[] {
    const rows = this.#options.db
      .prepare(
        `SELECT template_id, meter, unit, sum(value) AS recorded, sum(CASE WHEN sequence > ? THEN value ELSE 0 END) AS unreported, max(period_end) AS last_end
         FROM usage_records GROUP BY template_id, meter, unit ORDER BY template_id, meter`,
      )
      .all(this.#options.acknowledgedUsage()) as { template_id: string; meter: string; unit: string; recorded: number; unreported: number; last_end: number | null }[];
    return rows.map((row) => ({
      templateId: row.template_id,
      meter: row.meter,
      unit: row.unit,
      recordedUnits: row.recorded,
      unreportedUnits: row.unreported,
      lastPeriodEnd: row.last_end,
    }));
  }
}
