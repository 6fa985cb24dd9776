// Calls that read the stored history: any points over any range as about N chart points (the
// resolution — raw samples, 1-minute or 1-hour rollups — chosen for the range), and the retention
// policy with what it will free.
import { z } from 'zod';
import { RetentionPolicySchema } from '../domain/devices.ts';
import { defineCall } from './define.ts';

const empty = z.object({}).strict();

/** The form of the history a series was read from. */
export const HISTORY_RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type HistoryResolution = (typeof HISTORY_RESOLUTIONS)[number];

/**
 * One chart point: time, and the average, minimum and maximum of the samples it stands for.
 * Nulls mark a gap (the device was not answering), which a chart draws as a break in the line.
 */
const nullableNumber = z.number().nullable();
export const TrendPointSchema = z.tuple([z.number().int(), nullableNumber, nullableNumber, nullableNumber]);
export type TrendPoint = z.infer<typeof TrendPointSchema>;

export const TrendSeriesSchema = z.object({
  pointId: z.string(),
  /** Which stored form the points come from: the raw samples, or the 1-minute or 1-hour rollups. */
  resolution: z.enum(HISTORY_RESOLUTIONS),
  /** Width of one chart point in ms; 0 when the points are the raw samples. */
  bucketMs: z.number().int().min(0),
  points: z.array(TrendPointSchema),
});
export type TrendSeries = z.infer<typeof TrendSeriesSchema>;

/** Retention per class of point (its kind); a point may override any of the three in its own settings. */
export const RetentionSettingsSchema = z.object({
  analog: RetentionPolicySchema,
  counter: RetentionPolicySchema,
  state: RetentionPolicySchema,
});
export type RetentionSettings = z.infer<typeof RetentionSettingsSchema>;

export const RetentionStatusSchema = z.object({
  settings: RetentionSettingsSchema,
  /** Size of the database file with its write-ahead log. */
  databaseBytes: z.number().int().min(0),
  /** About how many bytes of history the current settings will remove (and make reusable). */
  freeableBytes: z.number().int().min(0),
  /** Stored history by form: samples and bytes, and the oldest time held. */
  forms: z.array(
    z.object({
      resolution: z.enum(HISTORY_RESOLUTIONS),
      rows: z.number().int().min(0),
      bytes: z.number().int().min(0),
      oldest: z.number().int().nullable(),
    }),
  ),
});
export type RetentionStatus = z.infer<typeof RetentionStatusSchema>;

export const historianCalls = {
  'historian.query': defineCall({
    summary:
      'Stored values of some points over a time range as about maxPoints chart points each (average, minimum and maximum per point), read from the raw samples or the 1-minute or 1-hour rollups as the range needs.',
    role: 'viewer',
    input: z
      .object({
        pointIds: z.array(z.string()).min(1).max(20),
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        maxPoints: z.number().int().min(10).max(5000).default(600),
      })
      .strict(),
    output: z.object({ series: z.array(TrendSeriesSchema) }),
  }),
  'historian.retention': defineCall({
    summary: 'How long each form of the history is kept, the database size and about how much the retention will free.',
    role: 'viewer',
    input: empty,
    output: RetentionStatusSchema,
  }),
  'historian.configureRetention': defineCall({
    summary: 'Sets how long raw samples, 1-minute and 1-hour rollups are kept, per class of point; applied in the background.',
    role: 'admin',
    input: RetentionSettingsSchema.strict(),
    output: RetentionStatusSchema,
  }),
} as const;
