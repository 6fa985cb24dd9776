// One request at a time per widget: a new job waits until the one before it has finished, and a job
// that is no longer wanted (the widget changed or left) stops at its next step.
export interface SerialJobs {
  /** Runs `job` after the jobs before it; `stale()` turns true once a newer job was queued or all were cancelled. */
  run(job: (stale: () => boolean) => Promise<void>): void;
  cancel(): void;
}

export function serialJobs(): SerialJobs {
  let tail: Promise<void> = Promise.resolve();
  let generation = 0;
  return {
    run(job) {
      const mine = ++generation;
      const stale = () => mine !== generation;
      tail = tail.then(() => (stale() ? undefined : job(stale))).catch((error: unknown) => console.error('A dashboard read failed', error));
    },
    cancel() {
      generation++;
    },
  };
}
