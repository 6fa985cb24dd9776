import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rectsOverlap } from '../../../../shared/domain/dashboards.ts';
import {
  clampRect,
  dragTarget,
  firstFreeSpot,
  gridMetrics,
  growWidget,
  nudgeWidget,
  placeWidget,
  resizeTarget,
  sameLayout,
  snapCells,
  usedRows,
  type LayoutItem,
} from './layout.ts';

const MIN = { w: 2, h: 2 };
const item = (id: string, x: number, y: number, w = 2, h = 2): LayoutItem => ({ id, x, y, w, h });

function noOverlaps(items: readonly LayoutItem[]): boolean {
  return items.every((a, index) => items.slice(index + 1).every((b) => !rectsOverlap(a, b)));
}

describe('snapping the pointer to cells', () => {
  // 1200 px wide, 12 columns, 12 px gaps: cells of 89 px, a step of 101 px.
  const metrics = gridMetrics(1200, 12, 56, 12);

  it('measures cells from the container width', () => {
    expect(metrics.cellWidth).toBe(89);
    expect(snapCells(50, metrics.cellWidth, metrics.gap)).toBe(0);
    expect(snapCells(51, metrics.cellWidth, metrics.gap)).toBe(1);
    expect(snapCells(-160, metrics.cellWidth, metrics.gap)).toBe(-2);
    expect(snapCells(100, 56, 12)).toBe(1);
  });

  it('moves by whole cells and stops at the edges of the grid', () => {
    const start = { x: 2, y: 1, w: 4, h: 3 };
    expect(dragTarget(start, 210, 70, metrics, MIN)).toEqual({ x: 4, y: 2, w: 4, h: 3 });
    expect(dragTarget(start, 5000, -900, metrics, MIN)).toEqual({ x: 8, y: 0, w: 4, h: 3 });
    expect(dragTarget(start, -5000, 0, metrics, MIN)).toEqual({ x: 0, y: 1, w: 4, h: 3 });
  });

  it('resizes from the corner, no smaller than the type allows and no wider than the grid', () => {
    const start = { x: 8, y: 0, w: 3, h: 3 };
    expect(resizeTarget(start, 101, 68, metrics, MIN)).toEqual({ x: 8, y: 0, w: 4, h: 4 });
    expect(resizeTarget(start, 1000, 0, metrics, MIN)).toEqual({ x: 8, y: 0, w: 4, h: 3 });
    expect(resizeTarget(start, -1000, -1000, metrics, MIN)).toEqual({ x: 8, y: 0, w: 2, h: 2 });
  });

  it('keeps a rectangle on the grid', () => {
    expect(clampRect({ x: 11, y: -3, w: 4, h: 1 }, 12, MIN)).toEqual({ x: 8, y: 0, w: 4, h: 2 });
    expect(clampRect({ x: 0, y: 0, w: 20, h: 3 }, 12, MIN)).toEqual({ x: 0, y: 0, w: 12, h: 3 });
  });
});

describe('moving and resizing with collisions', () => {
  it('pushes the widget it lands on down, and only as far as needed', () => {
    const layout = [item('a', 0, 0), item('b', 2, 0), item('c', 4, 0)];
    const moved = placeWidget(layout, 'a', { x: 2, y: 0, w: 2, h: 2 });
    expect(moved).toEqual([item('a', 2, 0), item('b', 2, 2), item('c', 4, 0)]);
  });

  it('pushes in a chain: a widget pushed down pushes the one below it', () => {
    const layout = [item('a', 0, 0, 4, 2), item('b', 0, 2, 4, 2), item('c', 0, 4, 4, 2), item('d', 6, 0)];
    const grown = placeWidget(layout, 'a', { x: 0, y: 0, w: 4, h: 3 });
    expect(grown).toEqual([item('a', 0, 0, 4, 3), item('b', 0, 3, 4, 2), item('c', 0, 5, 4, 2), item('d', 6, 0)]);
  });

  it('lets a dragged widget return: the preview is always taken from the layout at the start of the drag', () => {
    const start = [item('a', 0, 0), item('b', 0, 2)];
    const over = placeWidget(start, 'a', { x: 0, y: 2, w: 2, h: 2 });
    expect(over.find((entry) => entry.id === 'b')!.y).toBe(4);
    expect(placeWidget(start, 'a', { x: 0, y: 0, w: 2, h: 2 })).toEqual(start);
  });

  it('moves and resizes with the keyboard, within the grid', () => {
    const layout = [item('a', 0, 0), item('b', 2, 0)];
    expect(nudgeWidget(layout, 'a', -1, 0, 12, MIN)).toEqual(layout);
    expect(nudgeWidget(layout, 'a', 1, 0, 12, MIN)).toEqual([item('a', 1, 0), item('b', 2, 2)]);
    expect(growWidget(layout, 'b', 20, 1, 12, MIN)).toEqual([item('a', 0, 0), item('b', 2, 0, 10, 3)]);
    expect(growWidget(layout, 'b', -5, -5, 12, MIN)).toEqual(layout);
  });

  it('never leaves two widgets overlapping or one past the columns, whatever is moved where', () => {
    const layoutArbitrary = fc
      .array(fc.record({ w: fc.integer({ min: 2, max: 6 }), h: fc.integer({ min: 2, max: 4 }) }), { minLength: 1, maxLength: 12 })
      .map((sizes) => {
        const items: LayoutItem[] = [];
        sizes.forEach((size, index) => items.push({ id: `w${index}`, ...size, ...firstFreeSpot(items, size.w, size.h, 12) }));
        return items;
      });
    fc.assert(
      fc.property(
        layoutArbitrary,
        fc.nat(),
        fc.record({ x: fc.integer({ min: -3, max: 14 }), y: fc.integer({ min: -3, max: 20 }), w: fc.integer({ min: 0, max: 14 }), h: fc.integer({ min: 0, max: 8 }) }),
        (layout, pick, target) => {
          expect(noOverlaps(layout)).toBe(true);
          const moving = layout[pick % layout.length]!;
          const next = placeWidget(layout, moving.id, clampRect(target, 12, MIN));
          expect(noOverlaps(next)).toBe(true);
          expect(next.map((entry) => entry.id)).toEqual(layout.map((entry) => entry.id));
          for (const entry of next) {
            expect(entry.x).toBeGreaterThanOrEqual(0);
            expect(entry.x + entry.w).toBeLessThanOrEqual(12);
            // Nothing moves up or sideways except the widget moved.
            const before = layout.find((candidate) => candidate.id === entry.id)!;
            if (entry.id !== moving.id) {
              expect(entry.x).toBe(before.x);
              expect(entry.y).toBeGreaterThanOrEqual(before.y);
            }
          }
        },
      ),
    );
  });
});

describe('adding widgets', () => {
  it('puts a new widget in the first gap that fits, else below everything', () => {
    const layout = [item('a', 0, 0, 4, 2), item('b', 6, 0, 6, 2), item('c', 0, 2, 12, 2)];
    expect(firstFreeSpot(layout, 2, 2, 12)).toEqual({ x: 4, y: 0 });
    expect(firstFreeSpot(layout, 3, 2, 12)).toEqual({ x: 0, y: 4 });
    expect(firstFreeSpot([], 4, 3, 12)).toEqual({ x: 0, y: 0 });
    expect(usedRows(layout)).toBe(4);
  });

  it('compares layouts by place and size only', () => {
    expect(sameLayout([item('a', 0, 0)], [{ ...item('a', 0, 0) }])).toBe(true);
    expect(sameLayout([item('a', 0, 0)], [item('a', 0, 1)])).toBe(false);
  });
});
