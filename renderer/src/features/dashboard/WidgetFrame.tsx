// One widget on the grid: its title bar and its content. In edit mode the title bar is the handle to
// move it, the lower right corner resizes it, and buttons open its settings or remove it; the frame
// takes the keyboard focus for the arrow keys. The content is drawn again only when the widget's
// type or options change, not when it (or a neighbour) moves.
import { memo, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridRect, Widget } from '../../../../shared/domain/dashboards.ts';
import { DeleteIcon, SettingsIcon } from '../../ui/icons.tsx';
import { WidgetBody } from '../widgets/index.ts';
import { WidgetTitle } from './WidgetTitle.tsx';

interface WidgetFrameProps {
  widget: Widget;
  /** The cells it takes on screen (its starting cells while it is dragged). */
  rect: GridRect;
  editing: boolean;
  selected: boolean;
  /** How far the pointer has dragged it, in pixels; null when it is not being moved. */
  offset: { x: number; y: number } | null;
  resizing: boolean;
  onPointerDown(event: PointerEvent<HTMLElement>, widget: Widget, mode: 'move' | 'resize'): void;
  onPointerMove(event: PointerEvent<HTMLElement>): void;
  onPointerUp(event: PointerEvent<HTMLElement>): void;
  onKeyDown(event: KeyboardEvent<HTMLElement>, widget: Widget): void;
  onSettings(widgetId: string): void;
  onRemove(widgetId: string): void;
}

const Content = memo(
  function Content({ widget }: { widget: Widget }) {
    return <WidgetBody widget={widget} />;
  },
  (before, after) => before.widget.type === after.widget.type && before.widget.options === after.widget.options,
);

export const WidgetFrame = memo(function WidgetFrame(props: WidgetFrameProps) {
  const { t } = useTranslation();
  const { widget, rect, editing, selected, offset, resizing } = props;
  const stop = (event: PointerEvent) => event.stopPropagation();
  return (
    <section
      className={`widget widget-${widget.type}${selected ? ' is-selected' : ''}${offset ? ' is-moving' : ''}${resizing ? ' is-resizing' : ''}`}
      style={{
        gridColumn: `${rect.x + 1} / span ${rect.w}`,
        gridRow: `${rect.y + 1} / span ${rect.h}`,
        transform: offset ? `translate(${offset.x}px, ${offset.y}px)` : undefined,
      }}
      data-testid={`widget-${widget.id}`}
      data-type={widget.type}
      data-x={widget.x}
      data-y={widget.y}
      data-w={widget.w}
      data-h={widget.h}
      tabIndex={editing ? 0 : undefined}
      onKeyDown={editing ? (event) => props.onKeyDown(event, widget) : undefined}
      onPointerMove={editing ? props.onPointerMove : undefined}
      onPointerUp={editing ? props.onPointerUp : undefined}
      onPointerCancel={editing ? props.onPointerUp : undefined}
    >
      <header
        className="widget-head"
        onPointerDown={editing ? (event) => props.onPointerDown(event, widget, 'move') : undefined}
        data-testid="widget-handle"
      >
        <WidgetTitle widget={widget} />
        {editing && (
          <span className="widget-tools">
            <button type="button" className="btn btn-icon" onPointerDown={stop} onClick={() => props.onSettings(widget.id)} title={t('dashboard.widgetSettings')} aria-label={t('dashboard.widgetSettings')} data-testid="widget-settings">
              <SettingsIcon />
            </button>
            <button type="button" className="btn btn-icon" onPointerDown={stop} onClick={() => props.onRemove(widget.id)} title={t('dashboard.removeWidget')} aria-label={t('dashboard.removeWidget')} data-testid="widget-remove">
              <DeleteIcon />
            </button>
          </span>
        )}
      </header>
      <div className="widget-body">
        <Content widget={widget} />
      </div>
      {editing && (
        <span
          className="widget-resize"
          onPointerDown={(event) => props.onPointerDown(event, widget, 'resize')}
          title={t('dashboard.resizeWidget', { name: '' }).trim()}
          aria-hidden="true"
          data-testid="widget-resize"
        />
      )}
    </section>
  );
});
