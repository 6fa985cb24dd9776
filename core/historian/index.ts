// The historian: stores samples (through one batched writer), keeps rollups and compressed blocks
// up to date in the background, and answers trend queries at the resolution a range needs.
export { SampleWriter, qualityFromCode, type PointStorage, type SampleWriterOptions, type WriteProblem } from './sample-writer.ts';
export { PackedRows, createRowInserter, renumberRows } from './sample-rows.ts';
export { TrendReader, chooseResolution, type TrendQuery, type TrendAnswer } from './trend-query.ts';
export { RawReader } from './raw-reader.ts';
export { HistorianMaintenance, type MaintenanceOptions } from './maintenance.ts';
export type { WriterMaintenance } from './writer-messages.ts';
