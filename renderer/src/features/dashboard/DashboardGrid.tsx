// A dashboard on a CSS grid of 12 columns. In edit mode a widget is moved by dragging its title bar
// and resized by dragging its lower right corner (pointer events, snapped to whole cells), or with
// the arrow keys; the widgets it lands on move down out of its way, live, while the pointer moves.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { MIN_WIDGET_SIZE, type Dashboard, type GridRect, type Widget } from '../../../../shared/domain/dashboards.ts';
import { dragTarget, gridMetrics, growWidget, nudgeWidget, placeWidget, resizeTarget, usedRows, type LayoutItem } from './layout.ts';
import { selectWidget, updateDraft } from './dashboard-actions.ts';
import { useDashboardStore } from './dashboard-store.ts';
import { WidgetFrame } from './WidgetFrame.tsx';

export const GRID_GAP = 12;
/** Empty rows below the widgets in edit mode, to drag a widget into. */
const SPARE_ROWS = 4;

interface Drag {
  id: string;
  mode: 'move' | 'resize';
  pointerId: number;
  startX: number;
  startY: number;
  start: GridRect;
  /** The layout when the drag began: every preview is taken from it, so widgets return when the pointer does. */
  base: LayoutItem[];
  preview: LayoutItem[];
  dx: number;
  dy: number;
}

interface DashboardGridProps {
  dashboard: Dashboard;
  editing: boolean;
  onSettings(widgetId: string): void;
  onRemove(widgetId: string): void;
}

const layoutOf = (widgets: readonly Widget[]): LayoutItem[] => widgets.map(({ id, x, y, w, h }) => ({ id, x, y, w, h }));

/** The widgets with the places of `layout`. */
function withLayout(widgets: readonly Widget[], layout: readonly LayoutItem[]): Widget[] {
  const byId = new Map(layout.map((item) => [item.id, item]));
  return widgets.map((widget) => {
    const place = byId.get(widget.id);
    if (!place || (place.x === widget.x && place.y === widget.y && place.w === widget.w && place.h === widget.h)) return widget;
    return { ...widget, x: place.x, y: place.y, w: place.w, h: place.h };
  });
}

export function DashboardGrid({ dashboard, editing, onSettings, onRemove }: DashboardGridProps) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [drag, setDrag] = useState<Drag | null>(null);
  const selectedId = useDashboardStore((state) => state.selectedWidgetId);
  const { rowHeight, columns } = dashboard.grid;

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (!editing) setDrag(null);
  }, [editing]);

  const metrics = useMemo(() => gridMetrics(width, columns, rowHeight, GRID_GAP), [width, columns, rowHeight]);
  const shown = drag ? withLayout(dashboard.widgets, drag.preview) : dashboard.widgets;
  const rows = usedRows(shown) + (editing ? SPARE_ROWS : 0);

  const begin = useCallback(
    (event: PointerEvent<HTMLElement>, widget: Widget, mode: Drag['mode']) => {
      if (!editing || event.button !== 0) return;
      event.preventDefault();
      event.currentTarget.setPointerCapture(event.pointerId);
      // The widget takes the focus, so the arrow keys move it on from where the pointer left it.
      event.currentTarget.closest<HTMLElement>('.widget')?.focus({ preventScroll: true });
      selectWidget(widget.id);
      const base = layoutOf(dashboard.widgets);
      setDrag({ id: widget.id, mode, pointerId: event.pointerId, startX: event.clientX, startY: event.clientY, start: { x: widget.x, y: widget.y, w: widget.w, h: widget.h }, base, preview: base, dx: 0, dy: 0 });
    },
    [editing, dashboard.widgets],
  );

  /** The drag after the pointer moved to the event's place. */
  const follow = useCallback(
    (current: Drag, event: PointerEvent<HTMLElement>): Drag => {
      const dx = event.clientX - current.startX;
      const dy = event.clientY - current.startY;
      const widget = dashboard.widgets.find((candidate) => candidate.id === current.id);
      if (!widget) return current;
      const min = MIN_WIDGET_SIZE[widget.type];
      const target = current.mode === 'move' ? dragTarget(current.start, dx, dy, metrics, min) : resizeTarget(current.start, dx, dy, metrics, min);
      const placed = current.preview.find((item) => item.id === current.id)!;
      const same = placed.x === target.x && placed.y === target.y && placed.w === target.w && placed.h === target.h;
      return { ...current, dx, dy, preview: same ? current.preview : placeWidget(current.base, current.id, target) };
    },
    [dashboard.widgets, metrics],
  );

  const move = useCallback(
    (event: PointerEvent<HTMLElement>) => {
      setDrag((current) => (current && current.pointerId === event.pointerId ? follow(current, event) : current));
    },
    [follow],
  );

  const dragRef = useRef<Drag | null>(null);
  dragRef.current = drag;
  const end = useCallback(
    (event: PointerEvent<HTMLElement>) => {
      const current = dragRef.current;
      if (!current || current.pointerId !== event.pointerId) return;
      setDrag(null);
      if (event.type === 'pointercancel') return;
      const { preview } = follow(current, event);
      updateDraft((draft) => ({ ...draft, widgets: withLayout(draft.widgets, preview) }));
    },
    [follow],
  );

  const onKey = useCallback(
    (event: KeyboardEvent<HTMLElement>, widget: Widget) => {
      if (!editing) return;
      const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[event.key];
      if (!step) {
        if (event.key === 'Delete') onRemove(widget.id);
        return;
      }
      event.preventDefault();
      const [dx, dy] = step as [number, number];
      const min = MIN_WIDGET_SIZE[widget.type];
      updateDraft((draft) => {
        const layout = layoutOf(draft.widgets);
        const next = event.shiftKey ? growWidget(layout, widget.id, dx, dy, columns, min) : nudgeWidget(layout, widget.id, dx, dy, columns, min);
        return { ...draft, widgets: withLayout(draft.widgets, next) };
      });
    },
    [editing, columns, onRemove],
  );

  const dragged = drag ? shown.find((widget) => widget.id === drag.id) : undefined;
  return (
    <div
      ref={box}
      className={`dashboard-grid${editing ? ' is-editing' : ''}${drag ? ' is-dragging' : ''}`}
      style={{
        gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
        gridAutoRows: `${rowHeight}px`,
        gridTemplateRows: `repeat(${Math.max(1, rows)}, ${rowHeight}px)`,
        gap: GRID_GAP,
        ['--cell-width' as string]: `${metrics.cellWidth}px`,
        ['--row-height' as string]: `${rowHeight}px`,
        ['--grid-gap' as string]: `${GRID_GAP}px`,
      }}
      data-testid="dashboard-grid"
      data-dashboard={dashboard.id}
      onPointerDown={(event) => {
        if (editing && event.target === event.currentTarget) selectWidget(null);
      }}
    >
      {drag && dragged && drag.mode === 'move' && (
        <div className="widget-placeholder" style={{ gridColumn: `${dragged.x + 1} / span ${dragged.w}`, gridRow: `${dragged.y + 1} / span ${dragged.h}` }} aria-hidden="true" />
      )}
      {shown.map((widget) => {
        const moving = drag?.id === widget.id && drag.mode === 'move';
        // The widget being moved stays in its starting cells and follows the pointer; the placeholder shows where it lands.
        const rect = moving ? drag.start : widget;
        return (
          <WidgetFrame
            key={widget.id}
            widget={widget}
            rect={rect}
            editing={editing}
            selected={editing && selectedId === widget.id}
            offset={moving ? { x: drag.dx, y: drag.dy } : null}
            resizing={drag?.id === widget.id && drag.mode === 'resize'}
            onPointerDown={begin}
            onPointerMove={move}
            onPointerUp={end}
            onKeyDown={onKey}
            onSettings={onSettings}
            onRemove={onRemove}
          />
        );
      })}
    </div>
  );
}
