// The core's implementation of the export calls (shared/contract/export-calls.ts).
import type { Handlers } from '../../contract/dispatcher.ts';
import type { ExportService } from './export-service.ts';

type ExportCallName = 'historian.startExport' | 'historian.exportStatus' | 'historian.cancelExport' | 'historian.downloadExport';

export function createExportHandlers(exports: ExportService): Pick<Handlers, ExportCallName> {
  return {
    'historian.startExport': (input, { locale }) => exports.start(input, locale),
    'historian.exportStatus': ({ jobId }, { locale }) => exports.status(jobId, locale),
    'historian.cancelExport': ({ jobId }) => ({ cancelled: exports.cancel(jobId) }),
    'historian.downloadExport': ({ jobId }) => exports.download(jobId),
  };
}
