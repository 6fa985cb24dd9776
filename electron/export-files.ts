// Finished export files, served to the app's window at app://plantdesk/api/exports/<jobId> — the same
// path the web host serves them at — so the page downloads an export of any size the same way in
// both hosts, and Electron asks where to save it. Read from the core's exports folder, where each
// finished file has a small JSON record beside it (core/historian/export/export-service.ts). Pure
// Node: tested without Electron.
import fs from 'node:fs';
import path from 'node:path';
import { EXPORT_FORMATS, ExportJobIdSchema, type ExportFormat } from '../shared/index.ts';
import { contentDisposition } from '../core/historian/export/content-disposition.ts';
import { MIME_TYPES } from '../core/historian/export/table-writers.ts';
import { isAppUrl } from './app-protocol.ts';

export interface ExportDownload {
  path: string;
  sizeBytes: number;
  headers: Record<string, string>;
}

const EXPORT_PATH = /^\/api\/exports\/([^/]+)$/;

/** The finished export an app:// URL asks for; null when the URL is not an export's or the file is not there. */
export function finishedExport(url: string, exportsDir: string): ExportDownload | null {
  if (!isAppUrl(url)) return null;
  const jobId = EXPORT_PATH.exec(new URL(url).pathname)?.[1];
  if (!jobId || !ExportJobIdSchema.safeParse(jobId).success) return null;
  try {
    const record = JSON.parse(fs.readFileSync(path.join(exportsDir, `${jobId}.json`), 'utf8')) as { jobId?: unknown; format?: unknown; fileName?: unknown };
    if (record.jobId !== jobId || typeof record.fileName !== 'string') return null;
    if (!EXPORT_FORMATS.includes(record.format as ExportFormat)) return null;
    const format = record.format as ExportFormat;
    const file = path.join(exportsDir, `${jobId}.${format}`);
    const sizeBytes = fs.statSync(file).size;
    return {
      path: file,
      sizeBytes,
      headers: {
        'Content-Type': MIME_TYPES[format],
        'Content-Length': String(sizeBytes),
        'Content-Disposition': contentDisposition(record.fileName),
        'Cache-Control': 'no-store',
      },
    };
  } catch {
    return null;
  }
}
