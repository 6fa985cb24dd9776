// A plant overview of many machines whose figures change at every answer, standing in for
// kpis.overview where the speed of the screen is measured (bench/overview.bench.ts and the overview's
// e2e test), not the KPI engine.
const HOUR = 3_600_000;
const STATES = ['running', 'running', 'running', 'idle', 'stopped', 'alarm', 'offline'] as const;

/** A plant overview of `count` machines whose figures change with `tick`, as kpis.overview answers. */
export function syntheticOverview(count: number, tick: number, kind: 'shift' | 'day' | 'week' | 'month', at: number) {
  const span = kind === 'shift' ? 8 * HOUR : 24 * HOUR;
  const from = Math.floor(at / span) * span;
  const now = Date.now();
  const current = now >= from && now < from + span;
  const end = current ? now : from + span;
  const machines = Array.from({ length: count }, (_, index) => {
    const state = STATES[(index + Math.floor(tick / 5)) % STATES.length]!;
    const availability = 0.6 + ((index * 7 + tick) % 40) / 100;
    const performance = 0.7 + ((index * 3 + tick) % 30) / 100;
    const quality = 0.95 + (index % 5) / 100;
    const total = 100 + index * 3 + tick;
    const scrap = index % 4;
    const spans = [];
    for (let start = from, step = 0; start < end; start += 20 * 60_000, step++) {
      spans.push({ from: start, to: Math.min(end, start + 20 * 60_000), state: STATES[(index + step) % STATES.length]! });
    }
    return {
      machineId: `m${String(index + 1).padStart(2, '0')}`,
      name: `Machine ${index + 1}`,
      deviceId: `dev-${index + 1}`,
      state,
      stateSince: now - ((index * 97_000) % HOUR),
      oee: { availability, performance, quality, oee: availability * performance * quality, plannedMs: end - from, runMs: Math.round((end - from) * availability) },
      losses: { plannedStopMs: 0, unplannedStopMs: 600_000 + index * 1000, microStopMs: 60_000, speedLossMs: 300_000, qualityLossMs: 30_000, byReason: { toolChange: 300_000 } },
      output: { total, good: total - scrap, scrap },
      energyKwh: 10 + index + tick / 10,
      kwhPerPart: (10 + index) / total,
      timeline: spans,
    };
  });
  return {
    period: { kind, from, to: from + span, label: `${kind} ${new Date(from).toISOString().slice(0, 16)}`, current },
    machines,
    plant: { oee: null, output: machines.reduce((sum, machine) => sum + machine.output.total, 0), energyKwh: 2000 + tick, energyCost: 1400, peakDemandKw: 420 },
    computedAt: now,
  };
}
