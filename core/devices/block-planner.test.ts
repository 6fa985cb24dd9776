// The block planner decides how many Modbus requests a device costs and whether a read can ever hit
// an unmapped address; these properties hold for any register map a technician can enter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DataType, Point, PointFunction } from '../../shared/index.ts';
import { testPoint } from '../test-support.ts';
import { planBlocks, pointSpan, type ReadBlock } from './block-planner.ts';

let nextId = 0;
function makePoint(fields: Partial<Point> & { address: number }): Point {
  nextId++;
  return testPoint({ id: `p${nextId}`, name: `Point ${nextId}`, ...fields });
}

const isBitFunction = (fn: PointFunction) => fn === 'coil' || fn === 'discrete';
const limitOf = (fn: PointFunction) => (isBitFunction(fn) ? 2000 : 125);
const endOf = (point: Point) => point.address + pointSpan(point);

const registerTypes: DataType[] = ['int16', 'uint16', 'bit', 'int32', 'uint32', 'float32', 'int64', 'uint64', 'float64', 'string'];

/** Any point a technician could enter, packed into a small address space so that merges happen. */
const pointArbitrary = (maxAddress: number) =>
  fc
    .record({
      function: fc.constantFrom<PointFunction>('coil', 'discrete', 'holding', 'input'),
      address: fc.integer({ min: 0, max: maxAddress }),
      dataType: fc.constantFrom(...registerTypes),
      length: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(123)),
      bit: fc.integer({ min: 0, max: 15 }),
    })
    .map(({ function: fn, address, dataType, length, bit }) =>
      isBitFunction(fn)
        ? makePoint({ function: fn, address, dataType: 'bool' })
        : makePoint({
            function: fn,
            address,
            dataType,
            ...(dataType === 'string' ? { length } : {}),
            ...(dataType === 'bit' ? { bit } : {}),
          }),
    );

const pointsArbitrary = fc.array(pointArbitrary(3000), { minLength: 1, maxLength: 80 });
const densePointsArbitrary = fc.array(pointArbitrary(300), { minLength: 1, maxLength: 150 });
const anyPoints = fc.oneof(pointsArbitrary, densePointsArbitrary);

function blocksContaining(blocks: readonly ReadBlock[], point: Point): ReadBlock[] {
  return blocks.filter((block) => block.points.includes(point));
}

/** Addresses of a block that no point of the block covers, as runs of consecutive addresses. */
function unmappedRuns(block: ReadBlock): number[] {
  const covered = new Array<boolean>(block.count).fill(false);
  for (const point of block.points) {
    for (let address = point.address; address < endOf(point); address++) covered[address - block.start] = true;
  }
  const runs: number[] = [];
  let run = 0;
  for (const isCovered of covered) {
    if (isCovered) {
      if (run > 0) runs.push(run);
      run = 0;
    } else run++;
  }
  if (run > 0) runs.push(run);
  return runs;
}

describe('planBlocks properties', () => {
  it('every point lies inside exactly one block, and that block reads its own function', () => {
    fc.assert(
      fc.property(anyPoints, fc.integer({ min: 0, max: 20 }), (points, maxGap) => {
        const blocks = planBlocks(points, { maxGap });
        for (const point of points) {
          const holding = blocksContaining(blocks, point);
          expect(holding).toHaveLength(1);
          const [block] = holding;
          expect(block!.function).toBe(point.function);
          expect(point.address).toBeGreaterThanOrEqual(block!.start);
          expect(endOf(point)).toBeLessThanOrEqual(block!.start + block!.count);
        }
        expect(blocks.reduce((sum, block) => sum + block.points.length, 0)).toBe(points.length);
      }),
    );
  });

  it('no read exceeds 125 registers or 2000 bits, and every read starts and ends on a point', () => {
    fc.assert(
      fc.property(anyPoints, fc.integer({ min: 0, max: 200 }), (points, maxGap) => {
        for (const block of planBlocks(points, { maxGap })) {
          expect(block.count).toBeGreaterThan(0);
          expect(block.count).toBeLessThanOrEqual(limitOf(block.function));
          expect(block.start).toBe(Math.min(...block.points.map((point) => point.address)));
          expect(block.start + block.count).toBe(Math.max(...block.points.map(endOf)));
        }
      }),
    );
  });

  it('with maxGap 0 no read spans an unmapped address; with maxGap g no unmapped run is longer than g', () => {
    fc.assert(
      fc.property(anyPoints, fc.integer({ min: 0, max: 30 }), (points, maxGap) => {
        for (const block of planBlocks(points, { maxGap: 0 })) expect(unmappedRuns(block)).toEqual([]);
        for (const block of planBlocks(points, { maxGap })) {
          for (const run of unmappedRuns(block)) expect(run).toBeLessThanOrEqual(maxGap);
        }
      }),
    );
  });

  it('never leaves two reads that could have been one', () => {
    fc.assert(
      fc.property(anyPoints, fc.integer({ min: 0, max: 20 }), (points, maxGap) => {
        const blocks = planBlocks(points, { maxGap });
        const byFunction = new Map<PointFunction, ReadBlock[]>();
        for (const block of blocks) byFunction.set(block.function, [...(byFunction.get(block.function) ?? []), block]);
        for (const [fn, group] of byFunction) {
          const sorted = [...group].sort((a, b) => a.start - b.start);
          for (let index = 1; index < sorted.length; index++) {
            const previous = sorted[index - 1]!;
            const next = sorted[index]!;
            const firstEnd = Math.max(...next.points.filter((point) => point.address === next.start).map(endOf));
            const gap = next.start - (previous.start + previous.count);
            const joinedCount = firstEnd - previous.start;
            expect(gap > maxGap || joinedCount > limitOf(fn)).toBe(true);
          }
        }
      }),
    );
  });

  it('for a contiguous map the number of reads is the minimum possible (checked against a reference)', () => {
    // Points of random widths laid end to end from a random start: the fewest reads is the fewest
    // contiguous groups whose widths sum to at most 125, computed here by dynamic programming.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(fc.constantFrom<DataType>('uint16', 'float32', 'float64', 'int32'), { minLength: 1, maxLength: 300 }),
        (start, types) => {
          let address = start;
          const points = types.map((dataType) => {
            const point = makePoint({ address, dataType });
            address += pointSpan(point);
            return point;
          });
          const widths = points.map(pointSpan);
          const fewest = new Array<number>(widths.length + 1).fill(Number.POSITIVE_INFINITY);
          fewest[0] = 0;
          for (let end = 1; end <= widths.length; end++) {
            let sum = 0;
            for (let begin = end - 1; begin >= 0; begin--) {
              sum += widths[begin]!;
              if (sum > 125) break;
              fewest[end] = Math.min(fewest[end]!, fewest[begin]! + 1);
            }
          }
          expect(planBlocks(points)).toHaveLength(fewest[widths.length]!);
        },
      ),
    );
  });

  it('N contiguous 16-bit registers take ceil(N / 125) reads; N contiguous coils take ceil(N / 2000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 5000 }), (registers, coils) => {
        const holding = Array.from({ length: registers }, (_, address) => makePoint({ address }));
        const coilPoints = Array.from({ length: coils }, (_, address) => makePoint({ address, function: 'coil', dataType: 'bool' }));
        expect(planBlocks(holding)).toHaveLength(Math.ceil(registers / 125));
        expect(planBlocks(coilPoints)).toHaveLength(Math.ceil(coils / 2000));
      }),
      { numRuns: 30 },
    );
  });

  it('the plan does not depend on the order points were entered in', () => {
    const shape = (blocks: ReadBlock[]) =>
      blocks.map((block) => `${block.function}:${block.start}+${block.count}`).sort();
    fc.assert(
      fc.property(
        anyPoints.chain((points) => fc.tuple(fc.constant(points), fc.shuffledSubarray(points, { minLength: points.length }))),
        ([points, shuffled]) => {
          expect(shape(planBlocks(shuffled))).toEqual(shape(planBlocks(points)));
        },
      ),
    );
  });
});

describe('planBlocks by hand', () => {
  const summary = (blocks: ReadBlock[]) => blocks.map(({ function: fn, start, count }) => ({ function: fn, start, count }));

  it('two float32 at 0 and 2 are one read of 4 registers', () => {
    const blocks = planBlocks([makePoint({ address: 0, dataType: 'float32' }), makePoint({ address: 2, dataType: 'float32' })]);
    expect(summary(blocks)).toEqual([{ function: 'holding', start: 0, count: 4 }]);
    expect(blocks[0]!.points).toHaveLength(2);
  });

  it('coils and holding registers at the same address are never merged', () => {
    const blocks = planBlocks([
      makePoint({ address: 0, function: 'coil', dataType: 'bool' }),
      makePoint({ address: 0 }),
      makePoint({ address: 1, function: 'input' }),
      makePoint({ address: 1, function: 'discrete', dataType: 'bool' }),
    ]);
    expect(blocks).toHaveLength(4);
    expect(new Set(blocks.map((block) => block.function))).toEqual(new Set(['coil', 'holding', 'input', 'discrete']));
  });

  it('126 consecutive registers are split 125 + 1', () => {
    const points = Array.from({ length: 126 }, (_, address) => makePoint({ address }));
    expect(summary(planBlocks(points))).toEqual([
      { function: 'holding', start: 0, count: 125 },
      { function: 'holding', start: 125, count: 1 },
    ]);
  });

  it('a float32 is never split across two reads: 63 floats become 124 + 2 registers', () => {
    const points = Array.from({ length: 63 }, (_, index) => makePoint({ address: index * 2, dataType: 'float32' }));
    expect(summary(planBlocks(points))).toEqual([
      { function: 'holding', start: 0, count: 124 },
      { function: 'holding', start: 124, count: 2 },
    ]);
  });

  it('2001 coils are split 2000 + 1', () => {
    const points = Array.from({ length: 2001 }, (_, address) => makePoint({ address, function: 'coil', dataType: 'bool' }));
    expect(summary(planBlocks(points))).toEqual([
      { function: 'coil', start: 0, count: 2000 },
      { function: 'coil', start: 2000, count: 1 },
    ]);
  });

  it('a gap of 9 unmapped registers is bridged only when maxGap allows 9', () => {
    const points = [makePoint({ address: 0 }), makePoint({ address: 10 })];
    expect(planBlocks(points)).toHaveLength(2);
    expect(planBlocks(points, { maxGap: 8 })).toHaveLength(2);
    expect(summary(planBlocks(points, { maxGap: 9 }))).toEqual([{ function: 'holding', start: 0, count: 11 }]);
  });

  it('status bits and the whole status word at one address share one single-register read', () => {
    const points = [
      ...Array.from({ length: 16 }, (_, bit) => makePoint({ address: 5, dataType: 'bit', bit })),
      makePoint({ address: 5, dataType: 'uint16' }),
    ];
    expect(summary(planBlocks(points))).toEqual([{ function: 'holding', start: 5, count: 1 }]);
  });

  it('a float32 overlapping a uint16 (address 1 inside 0–1) keeps the read at 2 registers', () => {
    const blocks = planBlocks([makePoint({ address: 0, dataType: 'float32' }), makePoint({ address: 1 })]);
    expect(summary(blocks)).toEqual([{ function: 'holding', start: 0, count: 2 }]);
  });

  it('a smaller register limit (for devices that cannot answer 125) is respected', () => {
    const points = Array.from({ length: 25 }, (_, address) => makePoint({ address }));
    expect(planBlocks(points, { maxRegisters: 10 }).map((block) => block.count)).toEqual([10, 10, 5]);
  });

  it('no points, no reads', () => {
    expect(planBlocks([])).toEqual([]);
  });
});
