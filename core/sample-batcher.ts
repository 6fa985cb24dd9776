// Coalesces samples from many device reads into one event every few hundred milliseconds, so a
// thousand devices cost the UI a few messages a second, not a thousand.
import type { Sample } from '../shared/index.ts';

export class SampleBatcher {
  readonly #emit: (samples: Sample[]) => void;
  readonly #intervalMs: number;
  #pending: Sample[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(emit: (samples: Sample[]) => void, intervalMs = 250) {
    this.#emit = emit;
    this.#intervalMs = intervalMs;
  }

  push(samples: readonly Sample[]): void {
    for (const sample of samples) this.#pending.push(sample);
    if (!this.#timer) {
      this.#timer = setTimeout(() => this.flush(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#emit(batch);
  }
}
