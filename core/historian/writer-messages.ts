// Messages between the historian's SampleWriter (polling thread) and its writer thread.
export type ToWriter = { type: 'rows'; rows: Float64Array; count: number } | { type: 'close' };

export type FromWriter =
  | { type: 'ready'; slots: number }
  | { type: 'written'; count: number }
  | { type: 'failed'; message: string; queuedRows: number }
  | { type: 'dropped'; count: number }
  | { type: 'closed'; unwritten: number };
