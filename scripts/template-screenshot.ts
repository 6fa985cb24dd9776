// A picture of a template's dashboard for the marketplace, drawn from the dashboard document itself:
// each widget as a sketch of what it shows (a gauge's arc, a trend's line, bars, a timeline) on the
// 12-column grid, written as a real PNG with node:zlib. Deterministic: the same dashboard always
// gives the same bytes, so the packages built from it are too.
import zlib from 'node:zlib';

type Rgb = readonly [number, number, number];

const COLOURS = {
  page: [241, 243, 246],
  header: [24, 88, 160],
  card: [255, 255, 255],
  border: [214, 219, 226],
  ink: [52, 64, 84],
  faint: [170, 180, 194],
  green: [46, 160, 96],
  amber: [230, 160, 40],
  red: [214, 72, 64],
  blue: [40, 120, 210],
  teal: [30, 150, 160],
} as const satisfies Record<string, Rgb>;

class Canvas {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.pixels = new Uint8Array(width * height * 3);
  }
  rect(x: number, y: number, w: number, h: number, colour: Rgb): void {
    const left = Math.max(0, Math.round(x));
    const top = Math.max(0, Math.round(y));
    const right = Math.min(this.width, Math.round(x + w));
    const bottom = Math.min(this.height, Math.round(y + h));
    for (let row = top; row < bottom; row++) {
      for (let column = left; column < right; column++) this.pixels.set(colour, (row * this.width + column) * 3);
    }
  }
  dot(x: number, y: number, size: number, colour: Rgb): void {
    this.rect(x - size / 2, y - size / 2, size, size, colour);
  }
  line(x1: number, y1: number, x2: number, y2: number, size: number, colour: Rgb): void {
    const steps = Math.max(1, Math.ceil(Math.hypot(x2 - x1, y2 - y1)));
    for (let step = 0; step <= steps; step++) this.dot(x1 + ((x2 - x1) * step) / steps, y1 + ((y2 - y1) * step) / steps, size, colour);
  }
  png(): Buffer {
    const rows = Buffer.alloc((this.width * 3 + 1) * this.height);
    for (let row = 0; row < this.height; row++) {
      rows[row * (this.width * 3 + 1)] = 0;
      Buffer.from(this.pixels.buffer, row * this.width * 3, this.width * 3).copy(rows, row * (this.width * 3 + 1) + 1);
    }
    const header = Buffer.alloc(13);
    header.writeUInt32BE(this.width, 0);
    header.writeUInt32BE(this.height, 4);
    header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, deflate, no filter method, no interlace
    return Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]);
  }
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A repeatable wave for trends and bars, from a widget's id. */
function wave(seed: string): (x: number) => number {
  let hash = 7;
  for (const character of seed) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  const phase = (hash % 628) / 100;
  const speed = 2 + (hash % 5);
  return (x) => 0.5 + 0.3 * Math.sin(x * speed + phase) + 0.12 * Math.sin(x * speed * 3.7 + phase * 2);
}

interface WidgetSketch {
  id: string;
  type: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function drawWidget(canvas: Canvas, widget: WidgetSketch, box: { left: number; top: number; width: number; height: number }): void {
  const { left, top, width, height } = box;
  canvas.rect(left, top, width, height, COLOURS.border);
  canvas.rect(left + 1, top + 1, width - 2, height - 2, COLOURS.card);
  canvas.rect(left + 8, top + 7, Math.min(width - 16, 60), 4, COLOURS.faint);
  const inner = { left: left + 10, top: top + 18, width: width - 20, height: height - 26 };
  const shape = wave(widget.id);
  switch (widget.type) {
    case 'valueTile':
      canvas.rect(inner.left, inner.top + inner.height * 0.2, Math.min(inner.width * 0.6, 70), Math.max(8, inner.height * 0.45), COLOURS.ink);
      break;
    case 'gauge': {
      const cx = inner.left + inner.width / 2;
      const cy = inner.top + inner.height * 0.8;
      const radius = Math.min(inner.width / 2, inner.height * 0.75);
      for (let angle = Math.PI; angle <= 2 * Math.PI; angle += 0.01) {
        const share = (angle - Math.PI) / Math.PI;
        canvas.dot(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle), 6, share < 0.3 ? COLOURS.red : share < 0.7 ? COLOURS.amber : COLOURS.green);
      }
      const needle = Math.PI * (1 + shape(0.3));
      canvas.line(cx, cy, cx + radius * 0.8 * Math.cos(needle), cy + radius * 0.8 * Math.sin(needle), 3, COLOURS.ink);
      break;
    }
    case 'trend': {
      const colours = [COLOURS.blue, COLOURS.teal, COLOURS.amber];
      colours.forEach((colour, index) => {
        const line = wave(`${widget.id}${index}`);
        let previous: [number, number] | undefined;
        for (let step = 0; step <= 60; step++) {
          const x = inner.left + (inner.width * step) / 60;
          const y = inner.top + inner.height * (1 - line(step / 60)) * 0.9;
          if (previous) canvas.line(previous[0], previous[1], x, y, 2, colour);
          previous = [x, y];
        }
      });
      break;
    }
    case 'barByShift':
    case 'energyByMachine': {
      const bars = 7;
      for (let bar = 0; bar < bars; bar++) {
        const barHeight = inner.height * (0.3 + 0.6 * shape(bar / bars));
        canvas.rect(inner.left + (inner.width * bar) / bars + 3, inner.top + inner.height - barHeight, inner.width / bars - 6, barHeight, widget.type === 'barByShift' ? COLOURS.blue : COLOURS.teal);
      }
      break;
    }
    case 'stateTimeline':
    case 'machineStatus': {
      let x = inner.left;
      let index = 0;
      while (x < inner.left + inner.width) {
        const span = Math.min(inner.left + inner.width - x, inner.width * (0.04 + 0.12 * shape(index / 9)));
        canvas.rect(x, inner.top + inner.height * 0.25, span, inner.height * 0.5, index % 5 === 3 ? COLOURS.red : index % 2 === 0 ? COLOURS.green : COLOURS.amber);
        x += span;
        index++;
      }
      break;
    }
    case 'oeeBreakdown':
      [COLOURS.green, COLOURS.blue, COLOURS.teal, COLOURS.ink].forEach((colour, row) =>
        canvas.rect(inner.left, inner.top + (inner.height * row) / 4 + 3, inner.width * (0.5 + 0.45 * shape(row / 4)), inner.height / 4 - 8, colour),
      );
      break;
    default:
      for (let row = 0; row < 5; row++) canvas.rect(inner.left, inner.top + (inner.height * row) / 5 + 2, inner.width * (0.6 + 0.35 * shape(row / 5)), 5, COLOURS.faint);
  }
}

/**
 * A PNG sketch of a dashboard document (its `widgets` on the 12-column grid).
 * @example dashboardScreenshot(JSON.parse(fs.readFileSync('templates/cnc-oee/dashboards/cnc.json', 'utf8')))
 */
export function dashboardScreenshot(dashboard: { widgets?: unknown }, width = 960, height = 600): Buffer {
  const canvas = new Canvas(width, height);
  canvas.rect(0, 0, width, height, COLOURS.page);
  canvas.rect(0, 0, width, 36, COLOURS.header);
  canvas.rect(16, 14, 140, 8, COLOURS.card);
  const widgets = (Array.isArray(dashboard.widgets) ? dashboard.widgets : []).filter(
    (widget): widget is WidgetSketch => typeof widget === 'object' && widget !== null && ['x', 'y', 'w', 'h'].every((key) => typeof (widget as Record<string, unknown>)[key] === 'number'),
  );
  const rows = Math.max(8, ...widgets.map((widget) => widget.y + widget.h));
  const cellWidth = (width - 24) / 12;
  const cellHeight = Math.min(48, (height - 48) / rows);
  for (const widget of widgets) {
    drawWidget(canvas, widget, { left: 12 + widget.x * cellWidth + 3, top: 44 + widget.y * cellHeight + 3, width: widget.w * cellWidth - 6, height: widget.h * cellHeight - 6 });
  }
  return canvas.png();
}
