// Calls for the plant manager's questions — how is each machine doing this shift, today, this week,
// this month: state, OEE and its losses, output, energy — answered by the KPI engine (core/kpis) from
// the historian's rollups. The engine's definitions (shift calendar, machines, KPI formulas) are
// declarative, in shared/domain, so templates can ship them.
import { z } from 'zod';
import { ShiftCalendarSchema } from '../domain/calendar.ts';
import { KpiDefinitionSchema, TariffSchema } from '../domain/kpis.ts';
import { MachineSettingsSchema, StopReasonSchema } from '../domain/machines.ts';
import { PremiumLockSchema } from './dashboard-calls.ts';
import { defineCall } from './define.ts';

/** The periods every KPI can be asked for, in the plant's time zone and shift calendar. */
export const KPI_PERIODS = ['shift', 'day', 'week', 'month'] as const;
export type KpiPeriod = (typeof KPI_PERIODS)[number];

/** What a machine is doing, from its state tag and its device's connection. */
export const MACHINE_STATES = ['running', 'idle', 'stopped', 'alarm', 'offline', 'unknown'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

const ratio = z.number().min(0).nullable();

export const PeriodSchema = z.object({
  kind: z.enum(KPI_PERIODS),
  from: z.number().int(),
  to: z.number().int(),
  /** "Day shift 2026-05-04", "2026-05-04", "Week 19", in the caller's language. */
  label: z.string(),
  /** Whether the period is still running (its figures are live). */
  current: z.boolean(),
});
export type Period = z.infer<typeof PeriodSchema>;

export const OeeSchema = z.object({
  availability: ratio,
  performance: ratio,
  quality: ratio,
  oee: ratio,
  /** Time the machine was planned to produce in the period so far (shifts minus breaks, holidays, planned downtime). */
  plannedMs: z.number().int().min(0),
  runMs: z.number().int().min(0),
});
export type Oee = z.infer<typeof OeeSchema>;

export const LossesSchema = z.object({
  plannedStopMs: z.number().int().min(0),
  unplannedStopMs: z.number().int().min(0),
  microStopMs: z.number().int().min(0),
  /** Run time lost to running slower than the ideal cycle time. */
  speedLossMs: z.number().int().min(0),
  /** Run time spent on parts that were scrapped. */
  qualityLossMs: z.number().int().min(0),
  /** Stop time by the reason an operator gave (code → ms); stops without one under 'unassigned'. */
  byReason: z.record(z.string(), z.number().int().min(0)),
});
export type Losses = z.infer<typeof LossesSchema>;

export const StateSpanSchema = z.object({ from: z.number().int(), to: z.number().int(), state: z.enum(MACHINE_STATES) });
export type StateSpan = z.infer<typeof StateSpanSchema>;

export const MachineOverviewSchema = z.object({
  machineId: z.string(),
  name: z.string(),
  deviceId: z.string(),
  state: z.enum(MACHINE_STATES),
  /** Since when the machine is in its state (ms); null when not known. */
  stateSince: z.number().int().nullable(),
  oee: OeeSchema,
  losses: LossesSchema,
  output: z.object({ total: z.number().min(0), good: z.number().min(0), scrap: z.number().min(0) }),
  /** Energy drawn in the period (kWh) and per good part; null where the machine has no meter. */
  energyKwh: z.number().min(0).nullable(),
  kwhPerPart: z.number().min(0).nullable(),
  /** The machine's states over the period, for a state timeline. */
  timeline: z.array(StateSpanSchema),
});
export type MachineOverview = z.infer<typeof MachineOverviewSchema>;

export const PlantOverviewSchema = z.object({
  period: PeriodSchema,
  machines: z.array(MachineOverviewSchema),
  plant: z.object({
    oee: ratio,
    output: z.number().min(0),
    energyKwh: z.number().min(0).nullable(),
    /** Energy cost in the period by tariff band (peak, flat, valley), in the plant's currency. */
    energyCost: z.number().min(0).nullable(),
    /** The highest 15-minute average demand in the period (kW). */
    peakDemandKw: z.number().min(0).nullable(),
  }),
  /** When the figures were computed (ms). */
  computedAt: z.number().int(),
});
export type PlantOverview = z.infer<typeof PlantOverviewSchema>;

/** One stop of a machine: a stretch in which it did not run. */
export const StopSchema = z.object({
  machineId: z.string(),
  start: z.number().int(),
  /** Its end; for a stop still going on, the time it was listed. */
  end: z.number().int(),
  durationMs: z.number().int().min(0),
  /** How much of it fell in planned production time (what it cost). */
  plannedMs: z.number().int().min(0),
  /** The state it spent most time in. */
  state: z.enum(MACHINE_STATES),
  /** Shorter than the machine's micro-stop limit: counted with the micro-stops, without a reason. */
  micro: z.boolean(),
  /** Still going on. */
  open: z.boolean(),
  /** The reason code an operator gave, who gave it and when; null when none was given. */
  reason: z.string().nullable(),
  reasonBy: z.string().nullable(),
  reasonAt: z.number().int().nullable(),
});
export type StopView = z.infer<typeof StopSchema>;

export const CalendarViewSchema = z.object({
  calendar: ShiftCalendarSchema,
  /** The zone the calendar runs in: its own, or the plant PC's when it names none. */
  effectiveTimeZone: z.string(),
});
export type CalendarView = z.infer<typeof CalendarViewSchema>;

export const KpiResultSchema = z.object({
  kpiId: z.string(),
  name: z.string(),
  /** The formula's value; null when an input has no data or the formula divides by zero. */
  value: z.number().nullable(),
  unit: z.string(),
  target: z.number().nullable(),
  goodDirection: z.enum(['higher', 'lower']),
  decimals: z.number().int(),
  /** Whether the value meets the target; null without a target or a value. */
  status: z.enum(['good', 'bad']).nullable(),
  /** Each input's value over the period (times in seconds). */
  inputs: z.record(z.string(), z.number().nullable()),
  period: PeriodSchema,
  computedAt: z.number().int(),
});
export type KpiResult = z.infer<typeof KpiResultSchema>;

const periodInput = {
  period: z.enum(KPI_PERIODS),
  /** Any instant in the period wanted (ms); now when left out. */
  at: z.number().int().min(0).optional(),
};

export const kpiCalls = {
  'kpis.overview': defineCall({
    summary:
      'Every machine in the period (shift, day, week or month holding `at`, now by default): its state now, OEE with availability, performance and quality, losses by kind and stop reason, output, energy and a state timeline; and the plant\'s OEE, output, energy, energy cost by tariff band and peak 15-minute demand.',
    role: 'viewer',
    input: z.object(periodInput).strict(),
    output: PlantOverviewSchema,
  }),
  'kpis.calendar': defineCall({
    summary: 'The shift calendar: shifts per weekday with their breaks, holidays, planned downtime and the time zone.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: CalendarViewSchema,
  }),
  'kpis.setCalendar': defineCall({
    summary: 'Saves the shift calendar; figures of past periods are computed again with it.',
    role: 'admin',
    input: ShiftCalendarSchema,
    output: CalendarViewSchema,
  }),
  'kpis.machines': defineCall({
    summary: 'The machines the KPIs are computed for (state point and codes, counters, ideal cycle time, meter), the plant meter and the stop reasons.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: MachineSettingsSchema,
  }),
  'kpis.setMachines': defineCall({
    summary: 'Saves the machines, the plant meter and the stop reasons; the points they name must exist and be of the right kind.',
    role: 'engineer',
    input: MachineSettingsSchema,
    output: MachineSettingsSchema,
  }),
  'kpis.tariff': defineCall({
    summary: 'The electricity tariff: prices per kWh of the critical peak, peak, flat and valley bands and their times of day.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: TariffSchema,
  }),
  'kpis.setTariff': defineCall({
    summary: 'Saves the electricity tariff; bands may not overlap.',
    role: 'admin',
    input: TariffSchema,
    output: TariffSchema,
  }),
  'kpis.evaluate': defineCall({
    summary: 'Evaluates a KPI definition (inputs, formula, unit, target) over a period, without saving it: for trying a formula, or for a template\'s KPI.',
    role: 'viewer',
    input: z.object({ definition: KpiDefinitionSchema, ...periodInput }).strict(),
    output: KpiResultSchema,
  }),
  'stops.list': defineCall({
    summary: 'The stops of a machine in a time range, oldest first, with their reasons; micro-stops only when asked for.',
    role: 'viewer',
    input: z
      .object({
        machineId: z.string().min(1).max(64),
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        includeMicro: z.boolean().default(false),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    output: z.object({
      stops: z.array(StopSchema),
      /** More stops than `limit` were in the range: the newest ones were left out. */
      truncated: z.boolean(),
      /** The reasons an operator can pick. */
      reasons: z.array(StopReasonSchema),
    }),
  }),
  'stops.setReason': defineCall({
    summary: 'Gives a stop its reason (or clears it with null); who and when are kept. A planned reason makes the stop a planned stop.',
    role: 'operator',
    input: z
      .object({
        machineId: z.string().min(1).max(64),
        stopStart: z.number().int().min(0),
        reason: z.string().min(1).max(32).nullable(),
      })
      .strict(),
    output: StopSchema,
  }),
} as const;

/** A stored KPI definition with who owns it: a template instance (removed with it), or nobody (made in the app). */
export const KpiDefinitionViewSchema = z.object({
  definition: KpiDefinitionSchema,
  /** The template instance that created it; null for one made in the app. */
  owner: z.object({ instanceId: z.string(), templateId: z.string() }).nullable(),
  /** Present when its template's licence is locked: its value is still shown, the definition is read-only. */
  lockedBy: PremiumLockSchema.optional(),
  updatedAt: z.number().int(),
});
export type KpiDefinitionView = z.infer<typeof KpiDefinitionViewSchema>;

const kpiId = z.string().min(1).max(64);

/** The stored KPI definitions (made in the app, or brought by solution templates) and their values. */
export const kpiDefinitionCalls = {
  'kpis.definitions': defineCall({
    summary: 'The stored KPI definitions, in the order they were made, each with the template instance that owns it and whether its template\'s licence is locked.',
    role: 'viewer',
    input: z.object({}).strict(),
    output: z.array(KpiDefinitionViewSchema),
  }),
  'kpis.saveDefinition': defineCall({
    summary: 'Stores a KPI definition (new, or over the stored one of its id) after checking its inputs and formula; one of a template whose licence is locked cannot be changed.',
    role: 'engineer',
    input: z.object({ definition: KpiDefinitionSchema }).strict(),
    output: KpiDefinitionViewSchema,
  }),
  'kpis.deleteDefinition': defineCall({
    summary: 'Deletes a stored KPI definition; one of a template whose licence is locked cannot be deleted.',
    role: 'engineer',
    input: z.object({ id: kpiId }).strict(),
    output: z.object({ id: z.string() }),
  }),
  'kpis.value': defineCall({
    summary: 'A stored KPI\'s value over the current shift, day, week or month, with its unit, target and status.',
    role: 'viewer',
    input: z.object({ kpiId, period: z.enum(KPI_PERIODS) }).strict(),
    output: KpiResultSchema,
  }),
} as const;

export type KpiDefinitionCalls = typeof kpiDefinitionCalls;
export type KpiDefinitionCallName = keyof KpiDefinitionCalls;
