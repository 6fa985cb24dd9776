// When a widget's figures are read again: at once when it starts, then after new samples arrive but
// no sooner than `minIntervalMs` after the last read began, and at least every `maxIntervalMs` (a
// stopped machine sends no samples, yet its "stopped for 20 min" grows). Never two reads at once: a
// reason to read that comes during a read is remembered and served after it.

export interface SchedulerTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: SchedulerTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SchedulerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
}

export class RefreshScheduler {
  readonly #read: () => Promise<void>;
  readonly #timers: SchedulerTimers;
  #options: SchedulerOptions;
  #running = false;
  #inFlight = false;
  /** New samples came since the last read began. */
  #dirty = false;
  #startedAt = -Infinity;
  #timer: unknown = null;
  #reads = 0;

  constructor(read: () => Promise<void>, options: SchedulerOptions, timers: SchedulerTimers = browserTimers) {
    this.#read = read;
    this.#options = options;
    this.#timers = timers;
  }

  /** How many reads were started (for tests and diagnostics). */
  get reads(): number {
    return this.#reads;
  }

  get inFlight(): boolean {
    return this.#inFlight;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#begin();
  }

  stop(): void {
    this.#running = false;
    this.#clear();
  }

  setOptions(options: SchedulerOptions): void {
    this.#options = options;
    if (this.#running && !this.#inFlight) this.#plan();
  }

  /** New samples arrived: read again once the minimum interval has passed. */
  poke(): void {
    if (!this.#running) return;
    if (this.#dirty && this.#timer !== null) return;
    this.#dirty = true;
    if (!this.#inFlight) this.#plan();
  }

  /** Read again as soon as the read in flight (if any) is done (after a reconnect, a changed setting). */
  now(): void {
    if (!this.#running) return;
    this.#dirty = true;
    this.#startedAt = -Infinity;
    if (!this.#inFlight) this.#plan();
  }

  #clear(): void {
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #plan(): void {
    this.#clear();
    const since = this.#timers.now() - this.#startedAt;
    const wait = Math.max(0, (this.#dirty ? this.#options.minIntervalMs : this.#options.maxIntervalMs) - since);
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.#begin();
    }, wait);
  }

  #begin(): void {
    if (!this.#running || this.#inFlight) return;
    this.#clear();
    this.#inFlight = true;
    this.#dirty = false;
    this.#startedAt = this.#timers.now();
    this.#reads++;
    let done: Promise<void>;
    try {
      done = this.#read();
    } catch (error) {
      done = Promise.reject(error);
    }
    void done
      .catch((error: unknown) => console.error('A dashboard read failed', error))
      .finally(() => {
        this.#inFlight = false;
        if (this.#running) this.#plan();
      });
  }
}
