// Merges the points of one device into as few reads as possible: points of one function whose
// addresses touch (or lie within `maxGap` of each other) share one read of at most 125 registers or
// 2000 bits, the limits of the Modbus specification.
import { registerCount, type Point, type PointFunction } from '../../shared/index.ts';

export interface ReadBlock {
  function: PointFunction;
  start: number;
  count: number;
  points: Point[];
}

export interface PlanOptions {
  maxRegisters?: number;
  maxBits?: number;
  /** Largest run of unmapped addresses a read may span; 0 merges only adjacent or overlapping points. */
  maxGap?: number;
  /** False reads every point on its own (devices that refuse any read beyond one mapped value). */
  merge?: boolean;
}

const isBitFunction = (fn: PointFunction) => fn === 'coil' || fn === 'discrete';

/** Width of a point in its data area: bits for coils and discrete inputs, registers otherwise. */
export function pointSpan(point: Point): number {
  return isBitFunction(point.function) ? 1 : registerCount(point.dataType, point.length);
}

/**
 * @example planBlocks(points) // [{ function: 'holding', start: 0, count: 16, points: [...] }]
 */
export function planBlocks(points: readonly Point[], options: PlanOptions = {}): ReadBlock[] {
  const { maxRegisters = 125, maxBits = 2000, maxGap = 0, merge = true } = options;
  const blocks: ReadBlock[] = [];
  const byFunction = new Map<PointFunction, Point[]>();
  for (const point of points) byFunction.set(point.function, [...(byFunction.get(point.function) ?? []), point]);

  for (const [fn, group] of byFunction) {
    const limit = isBitFunction(fn) ? maxBits : maxRegisters;
    const sorted = [...group].sort((a, b) => a.address - b.address || pointSpan(b) - pointSpan(a));
    let current: ReadBlock | undefined;
    for (const point of sorted) {
      const end = point.address + pointSpan(point);
      const fits = merge && current && point.address <= current.start + current.count + maxGap && end - current.start <= limit;
      if (current && fits) {
        current.count = Math.max(current.count, end - current.start);
        current.points.push(point);
      } else {
        current = { function: fn, start: point.address, count: end - point.address, points: [point] };
        blocks.push(current);
      }
    }
  }
  return blocks;
}

/** The planning options a device's settings call for. */
export function planOptionsFor(device: {
  mergeReads: boolean;
  maxGap: number;
  maxRegistersPerRead: number;
  maxBitsPerRead: number;
}): PlanOptions {
  return {
    merge: device.mergeReads,
    maxGap: device.mergeReads ? device.maxGap : 0,
    maxRegisters: device.maxRegistersPerRead,
    maxBits: device.maxBitsPerRead,
  };
}

/** A merged block split back into one read per point, for a device that refused the merged read. */
export function splitBlock(block: ReadBlock): ReadBlock[] {
  return block.points.map((point) => ({ function: block.function, start: point.address, count: pointSpan(point), points: [point] }));
}
