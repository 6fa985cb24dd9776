// Export of stored history to CSV and Excel files, in background jobs with progress.
export { ExportService, EXPORTS_FOLDER, type ExportFile, type ExportServiceDeps, type ExportServiceOptions } from './export-service.ts';
export { createExportHandlers } from './export-handlers.ts';
export { contentDisposition } from './content-disposition.ts';
export { LocalTime, hostTimeZone, isValidTimeZone } from './local-time.ts';
