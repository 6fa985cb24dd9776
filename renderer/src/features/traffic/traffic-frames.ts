// The traffic view's frames: each poll returns the latest frames of the device; they are appended to
// what is on screen without repeating the overlap, capped, and shown with millisecond times.
import type { TrafficFrame } from '../../../../shared/contract/device-calls.ts';

/** Frames kept on screen; older ones scroll away. */
export const MAX_FRAMES = 1000;

const same = (a: TrafficFrame, b: TrafficFrame) => a.ts === b.ts && a.direction === b.direction && a.hex === b.hex;

/**
 * `shown` followed by the frames of `latest` that are newer than its last one. `latest` is the
 * core's window of recent frames, oldest first; it overlaps what was shown before.
 */
export function mergeFrames(shown: readonly TrafficFrame[], latest: readonly TrafficFrame[], max = MAX_FRAMES): TrafficFrame[] {
  const last = shown.at(-1);
  let fresh: readonly TrafficFrame[];
  if (!last) fresh = latest;
  else {
    let overlap = -1;
    for (let index = latest.length - 1; index >= 0; index--) {
      if (same(latest[index]!, last)) {
        overlap = index;
        break;
      }
    }
    fresh = overlap >= 0 ? latest.slice(overlap + 1) : latest.filter((frame) => frame.ts > last.ts);
  }
  if (fresh.length === 0) return shown as TrafficFrame[];
  const merged = [...shown, ...fresh];
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** Frames after a local Clear: only those newer than the clear. */
export function framesAfter(frames: readonly TrafficFrame[], clearedAt: number | null): readonly TrafficFrame[] {
  if (clearedAt === null) return frames;
  const first = frames.findIndex((frame) => frame.ts > clearedAt);
  return first < 0 ? [] : frames.slice(first);
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Local time with milliseconds: "14:03:21.045". */
export function formatClockMs(ts: number): string {
  const date = new Date(ts);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** True when a scrolled box shows its end (within a few pixels), so new rows may scroll it on. */
export function isAtBottom(box: { scrollTop: number; scrollHeight: number; clientHeight: number }, slack = 24): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= slack;
}
