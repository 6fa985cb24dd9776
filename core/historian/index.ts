// The historian: stores samples (through one batched writer) and answers trend queries.
export { SampleWriter, qualityFromCode, type PointStorage, type SampleWriterOptions, type WriteProblem } from './sample-writer.ts';
export { PackedRows, createRowInserter, renumberRows } from './sample-rows.ts';
export { TrendReader, type TrendQuery } from './trend-query.ts';
