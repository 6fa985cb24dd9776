// The historian: stores samples (through one batched writer) and answers trend queries.
export { SampleWriter, qualityFromCode, type PointStorage, type SampleWriterOptions } from './sample-writer.ts';
export { PackedRows, createRowInserter } from './sample-rows.ts';
export { TrendReader, type TrendQuery } from './trend-query.ts';
