// A clock for "stopped for 12 min" on the machine cards: it ticks every 30 seconds, so fifty cards
// are not drawn again every second for a figure that changes once a minute.
import { createClock } from '../../app/use-now.ts';

/** The core's time, updated every 30 seconds. */
export const useSlowClock = createClock(30_000);
