// The grid maths of the dashboard editor: pointer movement snapped to cells, a widget moved or resized
// with the widgets it lands on pushed down (never overlapping, never past the 12 columns), and the
// first free spot for a new widget. Pure functions over cell rectangles, so they are unit-tested.
import { rectsOverlap, type GridRect } from '../../../../shared/domain/dashboards.ts';

export interface LayoutItem extends GridRect {
  id: string;
}

export interface MinSize {
  w: number;
  h: number;
}

/** The size of one cell on screen and the gap between cells, in CSS pixels. */
export interface GridMetrics {
  columns: number;
  cellWidth: number;
  rowHeight: number;
  gap: number;
}

/** The pixel size of the grid's cells for a container `width` wide. */
export function gridMetrics(width: number, columns: number, rowHeight: number, gap: number): GridMetrics {
  return { columns, rowHeight, gap, cellWidth: Math.max(1, (width - gap * (columns - 1)) / columns) };
}

/**
 * Whole cells a pointer movement of `pixels` stands for, rounded to the nearest cell.
 * @example snapCells(70, 60, 12) // → 1 (a 72-pixel step per cell)
 */
export function snapCells(pixels: number, cellSize: number, gap: number): number {
  return Math.round(pixels / (cellSize + gap));
}

/** A rectangle kept on the grid: at least `min` and at most the grid wide, inside the columns, not above the top. */
export function clampRect(rect: GridRect, columns: number, min: MinSize): GridRect {
  const w = Math.min(columns, Math.max(min.w, Math.round(rect.w)));
  const h = Math.max(min.h, Math.round(rect.h));
  const x = Math.min(columns - w, Math.max(0, Math.round(rect.x)));
  const y = Math.max(0, Math.round(rect.y));
  return { x, y, w, h };
}

/** Where a widget that started at `start` goes when dragged by (dx, dy) pixels. */
export function dragTarget(start: GridRect, dx: number, dy: number, metrics: GridMetrics, min: MinSize): GridRect {
  return clampRect(
    { ...start, x: start.x + snapCells(dx, metrics.cellWidth, metrics.gap), y: start.y + snapCells(dy, metrics.rowHeight, metrics.gap) },
    metrics.columns,
    min,
  );
}

/** The size a widget that started at `start` gets when its corner is dragged by (dx, dy) pixels; it keeps its place. */
export function resizeTarget(start: GridRect, dx: number, dy: number, metrics: GridMetrics, min: MinSize): GridRect {
  const w = Math.min(metrics.columns - start.x, Math.max(min.w, start.w + snapCells(dx, metrics.cellWidth, metrics.gap)));
  const h = Math.max(min.h, start.h + snapCells(dy, metrics.rowHeight, metrics.gap));
  return { x: start.x, y: start.y, w, h };
}

/**
 * The layout with widget `id` at `target` and every widget it would cover pushed down, as far as
 * needed and no further; widgets it does not touch stay where they are. No two widgets overlap after.
 */
export function placeWidget<Item extends LayoutItem>(items: readonly Item[], id: string, target: GridRect): Item[] {
  const moved = items.find((item) => item.id === id);
  if (!moved) return [...items];
  const placed: Item[] = [{ ...moved, ...target }];
  // Top to bottom, so a widget pushed down can in turn push the ones below it.
  const others = items.filter((item) => item.id !== id).sort((a, b) => a.y - b.y || a.x - b.x);
  for (const item of others) {
    const next = { ...item };
    for (;;) {
      const blockers = placed.filter((other) => rectsOverlap(next, other));
      if (blockers.length === 0) break;
      next.y = Math.max(...blockers.map((other) => other.y + other.h));
    }
    placed.push(next);
  }
  // Keep the original order (the order widgets are listed in the document).
  const byId = new Map(placed.map((item) => [item.id, item]));
  return items.map((item) => byId.get(item.id)!);
}

/** A widget moved by whole cells (arrow keys), kept on the grid. */
export function nudgeWidget<Item extends LayoutItem>(items: readonly Item[], id: string, dx: number, dy: number, columns: number, min: MinSize): Item[] {
  const item = items.find((candidate) => candidate.id === id);
  if (!item) return [...items];
  return placeWidget(items, id, clampRect({ ...item, x: item.x + dx, y: item.y + dy }, columns, min));
}

/** A widget grown or shrunk by whole cells (Shift + arrow keys), kept on the grid. */
export function growWidget<Item extends LayoutItem>(items: readonly Item[], id: string, dw: number, dh: number, columns: number, min: MinSize): Item[] {
  const item = items.find((candidate) => candidate.id === id);
  if (!item) return [...items];
  const w = Math.min(columns - item.x, Math.max(min.w, item.w + dw));
  const h = Math.max(min.h, item.h + dh);
  return placeWidget(items, id, { x: item.x, y: item.y, w, h });
}

/** The number of rows the widgets take. */
export function usedRows(items: readonly GridRect[]): number {
  return items.reduce((rows, item) => Math.max(rows, item.y + item.h), 0);
}

/** The top-most, then left-most place a w × h widget fits without covering another. */
export function firstFreeSpot(items: readonly GridRect[], w: number, h: number, columns: number): { x: number; y: number } {
  const width = Math.min(w, columns);
  const bottom = usedRows(items);
  for (let y = 0; y <= bottom; y++) {
    for (let x = 0; x + width <= columns; x++) {
      if (!items.some((item) => rectsOverlap({ x, y, w: width, h }, item))) return { x, y };
    }
  }
  return { x: 0, y: bottom };
}

/** True when two layouts put every widget in the same place. */
export function sameLayout(a: readonly LayoutItem[], b: readonly LayoutItem[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((item) => [item.id, item]));
  return a.every((item) => {
    const other = byId.get(item.id);
    return other !== undefined && other.x === item.x && other.y === item.y && other.w === item.w && other.h === item.h;
  });
}
