import { describe, expect, it } from 'vitest';
import { demoConfiguration } from './demo-config.ts';

describe('demo plant configuration', () => {
  it('marks part counters and energy as counters, machine states as states, the rest analog', () => {
    const { points } = demoConfiguration({ cnc: 15020, moulding: 15021, meter: 15022 }, 'en');
    const byKind = (kind: string) => points.filter((point) => point.kind === kind).map((point) => point.id);
    expect(byKind('counter')).toEqual(['demo-cnc1.partCount', 'demo-imm1.shotCount', 'demo-meter1.energyImport']);
    expect(byKind('state')).toEqual(['demo-cnc1.state', 'demo-imm1.state']);
    expect(byKind('analog')).toHaveLength(points.length - 5);
    expect(points.every((point) => point.retention === undefined)).toBe(true);
  });
});
