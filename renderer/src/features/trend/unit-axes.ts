// The y-axes of the Trends chart: one per distinct unit (lines of one unit share it), alternating
// sides — left, right, then further left, further right — and at most four, since a fifth scale is
// more than anyone reads at a glance. The tag picker refuses a line that would need a fifth.

/** Most y-axes (distinct units) one chart shows. */
export const MAX_UNIT_AXES = 4;

/** Width one y-axis with its labels takes beside the plot, px. */
export const AXIS_WIDTH = 58;

export interface UnitAxis {
  unit: string;
  position: 'left' | 'right';
  /** Distance from the plot, px: the outer axis on a side sits one axis width further out. */
  offset: number;
  /** Colour of the axis labels: the first line's when the chart has several axes, else neutral. */
  color: string | null;
  pointIds: string[];
}

export interface AxisLine {
  pointId: string;
  unit: string;
  color: string;
}

/** The distinct units of lines, in order of appearance. */
export function distinctUnits(lines: readonly Pick<AxisLine, 'unit'>[]): string[] {
  const units: string[] = [];
  for (const { unit } of lines) if (!units.includes(unit.trim())) units.push(unit.trim());
  return units;
}

/**
 * The y-axes for `lines`, in the order their units first appear. Lines of a unit beyond the fourth
 * (which the picker does not let happen) are put on the last axis rather than dropped.
 * @example unitAxes([{ pointId: 'a', unit: 'rpm', … }, { pointId: 'b', unit: 'kW', … }])
 *   // → [{ unit: 'rpm', position: 'left', … }, { unit: 'kW', position: 'right', … }]
 */
export function unitAxes(lines: readonly AxisLine[]): UnitAxis[] {
  const axes: UnitAxis[] = [];
  const several = distinctUnits(lines).length > 1;
  for (const line of lines) {
    const unit = line.unit.trim();
    let axis = axes.find((candidate) => candidate.unit === unit);
    if (!axis && axes.length < MAX_UNIT_AXES) {
      const index = axes.length;
      axis = {
        unit,
        position: index % 2 === 0 ? 'left' : 'right',
        offset: Math.floor(index / 2) * AXIS_WIDTH,
        color: several ? line.color : null,
        pointIds: [],
      };
      axes.push(axis);
    }
    (axis ?? axes.at(-1)!).pointIds.push(line.pointId);
  }
  return axes;
}

/** Index of the axis a line is drawn against. */
export function axisIndexOf(axes: readonly UnitAxis[], pointId: string): number {
  const index = axes.findIndex((axis) => axis.pointIds.includes(pointId));
  return index < 0 ? 0 : index;
}

/** How many axes sit on each side, for the room the plot leaves them. */
export function axesPerSide(axes: readonly UnitAxis[]): { left: number; right: number } {
  return {
    left: axes.filter((axis) => axis.position === 'left').length,
    right: axes.filter((axis) => axis.position === 'right').length,
  };
}

/** True when a line of `unit` can join lines of `units` without a fifth axis. */
export function unitFits(units: readonly string[], unit: string): boolean {
  const distinct = distinctUnits(units.map((one) => ({ unit: one })));
  return distinct.includes(unit.trim()) || distinct.length < MAX_UNIT_AXES;
}
