// Calls that export stored history to a file (CSV or Excel) in a background job: start it, watch it,
// cancel it, fetch the file. Large files are fetched over HTTP (GET /api/exports/<jobId>) instead.
import { z } from 'zod';
import { defineCall } from './define.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** 'wide': one row per time, a column per point. 'long': one row per sample (time, device, point, value, unit, quality). */
export const EXPORT_LAYOUTS = ['wide', 'long'] as const;
export type ExportLayout = (typeof EXPORT_LAYOUTS)[number];

/** 'raw': the stored samples; '1m' / '1h': the average of each minute / hour. */
export const EXPORT_RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type ExportResolution = (typeof EXPORT_RESOLUTIONS)[number];

export const EXPORT_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type ExportState = (typeof EXPORT_STATES)[number];

/** Largest file `historian.downloadExport` returns inside JSON; bigger ones come from GET /api/exports/<jobId>. */
export const EXPORT_INLINE_MAX_BYTES = 25 * 1024 * 1024;

export const ExportJobIdSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not an export job id');

export const ExportStatusSchema = z.object({
  jobId: ExportJobIdSchema,
  state: z.enum(EXPORT_STATES),
  rowsWritten: z.number().int().min(0),
  /** Rows the file will have, as far as can be told so far; equals rowsWritten once done. */
  totalRowsEstimate: z.number().int().min(0),
  /** The name the file is offered under. */
  fileName: z.string(),
  /** Size of the finished file; null until it is done. */
  sizeBytes: z.number().int().min(0).nullable(),
  /** Why it failed, in the caller's language; null otherwise. */
  error: z.string().nullable(),
});
export type ExportStatus = z.infer<typeof ExportStatusSchema>;

export const ExportProgressSchema = z.object({
  jobId: ExportJobIdSchema,
  rowsWritten: z.number().int().min(0),
  totalRowsEstimate: z.number().int().min(0),
  state: z.enum(EXPORT_STATES),
});
export type ExportProgress = z.infer<typeof ExportProgressSchema>;

const jobInput = z.object({ jobId: ExportJobIdSchema }).strict();

export const exportCalls = {
  'historian.startExport': defineCall({
    summary:
      'Starts exporting stored values of some points over a time range to CSV or Excel, in local time with units; progress comes as export.progressed events.',
    role: 'viewer',
    input: z
      .object({
        pointIds: z.array(z.string()).min(1).max(200),
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        format: z.enum(EXPORT_FORMATS).default('xlsx'),
        layout: z.enum(EXPORT_LAYOUTS).default('wide'),
        /** IANA time zone of the times in the file (Asia/Shanghai); the plant PC's own zone when omitted. */
        timeZone: z.string().min(1).max(64).optional(),
        resolution: z.enum(EXPORT_RESOLUTIONS).default('raw'),
      })
      .strict(),
    output: z.object({ jobId: ExportJobIdSchema }),
  }),
  'historian.exportStatus': defineCall({
    summary: 'How an export is going: its state, rows written so far, and the file once it is done.',
    role: 'viewer',
    input: jobInput,
    output: ExportStatusSchema,
  }),
  'historian.cancelExport': defineCall({
    summary: 'Stops a running export; its unfinished file is deleted.',
    role: 'viewer',
    input: jobInput,
    output: z.object({ cancelled: z.boolean() }),
  }),
  'historian.downloadExport': defineCall({
    summary: `A finished export file as base64, for files up to ${EXPORT_INLINE_MAX_BYTES / 1024 / 1024} MB; larger files are fetched with GET /api/exports/<jobId>.`,
    role: 'viewer',
    input: jobInput,
    output: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  }),
} as const;
