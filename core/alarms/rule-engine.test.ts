// Every kind of rule against sample sequences a plant produces: limits with deadband, on- and
// off-delays, rate of change, a stuck value, state codes and texts, and a device that stops answering.
import { describe, expect, it } from 'vitest';
import { AlarmRuleSchema, type AlarmRule, type AlarmRuleInput } from '../../shared/domain/alarms.ts';
import type { Sample } from '../../shared/domain/devices.ts';
import { RuleEngine, type CompiledRule, type RuleSink } from './rule-engine.ts';

const message = { 'zh-CN': '报警', en: 'alarm' };

function rule(input: Partial<AlarmRuleInput> & Pick<AlarmRuleInput, 'kind'>): AlarmRule {
  return AlarmRuleSchema.parse({ id: 'r', severity: 'high', message, pointId: 'p', ...input });
}

/** An engine with one set of rules, recording raises and clears as "+id@ts" and "-id@ts". */
function engineWith(rules: AlarmRule[], options: { suppress?: (rule: CompiledRule, ts: number) => boolean; automatic?: boolean } = {}) {
  const log: string[] = [];
  const sink: RuleSink = {
    raise(compiled, ts) {
      if (options.suppress?.(compiled, ts)) {
        compiled.suppressedUntil = ts + 1000;
        return false;
      }
      log.push(`+${compiled.id}@${ts}`);
      return true;
    },
    clear(compiled, ts) {
      log.push(`-${compiled.id}@${ts}`);
    },
  };
  const engine = new RuleEngine(sink, {
    automaticRule: options.automatic
      ? (deviceId) => AlarmRuleSchema.parse({ id: `commLoss.${deviceId}`, kind: 'disconnected', deviceId, severity: 'high', message, onDelayMs: 1000 })
      : undefined,
  });
  engine.setRules(rules, 0);
  /** Feeds values at the given times: [ts, value] pairs. */
  const feed = (pointId: string, ...pairs: [number, number | string | null][]) => {
    for (const [ts, value] of pairs) engine.evaluate([{ pointId, ts, value, quality: value === null ? 'bad' : 'good' } satisfies Sample]);
  };
  return { engine, log, feed };
}

describe('limit rules', () => {
  it('H: raised above the limit, kept inside the deadband, cleared once back past it', () => {
    const { log, feed } = engineWith([rule({ kind: 'limit', level: 'H', limit: 100, deadband: 5 })]);
    feed('p', [1, 99], [2, 100], [3, 100.5], [4, 97], [5, 95.1], [6, 95], [7, 101]);
    expect(log).toEqual(['+r@3', '-r@6', '+r@7']);
  });

  it('HH, L and LL: high-high above, low and low-low below', () => {
    const { log, feed } = engineWith([
      rule({ id: 'hh', kind: 'limit', level: 'HH', limit: 200 }),
      rule({ id: 'l', kind: 'limit', level: 'L', limit: 10, deadband: 2 }),
      rule({ id: 'll', kind: 'limit', level: 'LL', limit: 5 }),
    ]);
    feed('p', [1, 50], [2, 9], [3, 4], [4, 11], [5, 12], [6, 250]);
    expect(log).toEqual(['+l@2', '+ll@3', '-ll@4', '-l@5', '+hh@6']);
  });

  it('on-delay: a spike shorter than the delay raises nothing; a lasting excursion does, even without new samples', () => {
    const { engine, log, feed } = engineWith([rule({ kind: 'limit', level: 'H', limit: 100, onDelayMs: 3000 })]);
    feed('p', [1000, 120], [2000, 130], [2500, 90]);
    engine.tick(10_000);
    expect(log).toEqual([]);
    feed('p', [11_000, 120], [12_000, 125]);
    expect(log).toEqual([]);
    engine.tick(13_999);
    expect(log).toEqual([]);
    engine.tick(14_000);
    expect(log).toEqual(['+r@14000']);
  });

  it('off-delay: the alarm clears only after the value has stayed back for the delay', () => {
    const { engine, log, feed } = engineWith([rule({ kind: 'limit', level: 'H', limit: 100, offDelayMs: 2000 })]);
    feed('p', [0, 150], [1000, 90], [1500, 150], [2000, 90], [3000, 80]);
    expect(log).toEqual(['+r@0']);
    engine.tick(3999);
    expect(log).toEqual(['+r@0']);
    engine.tick(4000);
    expect(log).toEqual(['+r@0', '-r@4000']);
  });

  it('a bad read (no value) changes nothing', () => {
    const { log, feed } = engineWith([rule({ kind: 'limit', level: 'H', limit: 100 })]);
    feed('p', [1, 150], [2, null], [3, null]);
    expect(log).toEqual(['+r@1']);
    feed('p', [4, 50]);
    expect(log).toEqual(['+r@1', '-r@4']);
  });
});

describe('rate of change', () => {
  it('per second, either direction, between consecutive samples', () => {
    const { log, feed } = engineWith([rule({ kind: 'rateOfChange', rate: 5, per: 'second' })]);
    // +2/s, +10/s (raise), +4/s (clear), -8/s (raise: either direction), 0/s (clear)
    feed('p', [0, 100], [1000, 102], [2000, 112], [3000, 116], [4000, 108], [5000, 108]);
    expect(log).toEqual(['+r@2000', '-r@3000', '+r@4000', '-r@5000']);
  });

  it('per minute, rises only', () => {
    const { log, feed } = engineWith([rule({ kind: 'rateOfChange', rate: 30, per: 'minute', direction: 'rise' })]);
    // 1 unit in 1 s is 60/min: raise; falling 2 units/s is ignored (rise only); 0.25/s = 15/min clears.
    feed('p', [0, 10], [1000, 11], [2000, 9], [6000, 10]);
    expect(log).toEqual(['+r@1000', '-r@2000']);
  });

  it('falls only, with a deadband on the rate', () => {
    const { log, feed } = engineWith([rule({ kind: 'rateOfChange', rate: 10, per: 'second', direction: 'fall', deadband: 4 })]);
    feed('p', [0, 100], [1000, 85], [2000, 78], [3000, 73]);
    // -15/s raises; -7/s stays (inside 10 - 4); -5/s clears (not above 6).
    expect(log).toEqual(['+r@1000', '-r@3000']);
  });
});

describe('stuck value', () => {
  it('raised when the value has not moved for the time, cleared when it moves', () => {
    const { log, feed } = engineWith([rule({ kind: 'stuck', forMs: 10_000 })]);
    feed('p', [0, 5], [5000, 5], [9999, 5], [10_000, 5], [12_000, 5], [13_000, 6], [22_000, 6], [23_000, 6]);
    expect(log).toEqual(['+r@10000', '-r@13000', '+r@23000']);
  });

  it('within a tolerance, a trembling value counts as stuck', () => {
    const { log, feed } = engineWith([rule({ kind: 'stuck', forMs: 3000, tolerance: 0.5 })]);
    feed('p', [0, 20], [1000, 20.3], [2000, 19.8], [3000, 20.4], [4000, 21]);
    expect(log).toEqual(['+r@3000', '-r@4000']);
  });

  it('a text that stays the same', () => {
    const { log, feed } = engineWith([rule({ kind: 'stuck', forMs: 2000 })]);
    feed('p', [0, 'JOB-1'], [2000, 'JOB-1'], [2500, 'JOB-2']);
    expect(log).toEqual(['+r@2000', '-r@2500']);
  });
});

describe('state equals', () => {
  it('one of a set of codes', () => {
    const { log, feed } = engineWith([rule({ kind: 'state', values: [2, 3] })]);
    feed('p', [1, 1], [2, 2], [3, 3], [4, 1], [5, 3]);
    expect(log).toEqual(['+r@2', '-r@4', '+r@5']);
  });

  it('a text value', () => {
    const { log, feed } = engineWith([rule({ kind: 'state', values: ['E-STOP'] })]);
    feed('p', [1, 'RUN'], [2, 'E-STOP'], [3, 'RUN']);
    expect(log).toEqual(['+r@2', '-r@3']);
  });
});

describe('device disconnected', () => {
  it('a stored rule follows the device\'s connection, with its delay; "connecting" says nothing', () => {
    const { engine, log } = engineWith([AlarmRuleSchema.parse({ id: 'd', kind: 'disconnected', deviceId: 'plc1', severity: 'critical', message, onDelayMs: 2000 })]);
    engine.deviceStatus('plc1', 'connecting', 0);
    engine.deviceStatus('plc1', 'disconnected', 1000);
    engine.tick(2000);
    expect(log).toEqual([]);
    engine.deviceStatus('plc1', 'quarantined', 2500);
    engine.tick(3000);
    expect(log).toEqual(['+d@3000']);
    engine.deviceStatus('plc1', 'connecting', 3500);
    engine.deviceStatus('plc1', 'connected', 4000);
    expect(log).toEqual(['+d@3000', '-d@4000']);
    // A device that answers with exceptions is talking: not a communication loss.
    engine.deviceStatus('plc1', 'error', 5000);
    engine.tick(9000);
    expect(log).toEqual(['+d@3000', '-d@4000']);
  });

  it('every device has an automatic rule, until a stored rule replaces it', () => {
    const { engine, log } = engineWith([], { automatic: true });
    engine.deviceStatus('meter7', 'disconnected', 0);
    engine.tick(1000);
    expect(log).toEqual(['+commLoss.meter7@1000']);
    const removed = engine.setRules([AlarmRuleSchema.parse({ id: 'own', kind: 'disconnected', deviceId: 'meter7', severity: 'low', message })], 1500);
    expect(removed.map((compiled) => compiled.id)).toEqual(['commLoss.meter7']);
    engine.deviceStatus('meter7', 'disconnected', 2000);
    expect(log).toEqual(['+commLoss.meter7@1000', '+own@2000']);
  });
});

describe('the engine', () => {
  it('keeps the live state of rules that did not change when the rules are replaced', () => {
    const rate = rule({ id: 'rate', kind: 'rateOfChange', rate: 5, per: 'second' });
    const { engine, log, feed } = engineWith([rate]);
    feed('p', [0, 0]);
    engine.setRules([rate, rule({ id: 'other', kind: 'limit', level: 'H', limit: 1000 })], 500);
    feed('p', [1000, 10]);
    expect(log).toEqual(['+rate@1000']);
  });

  it('holds a raise back while it is suppressed, and raises once the suppression ends', () => {
    let stopped = true;
    const { engine, log, feed } = engineWith([rule({ kind: 'limit', level: 'H', limit: 100 })], { suppress: () => stopped });
    feed('p', [0, 150], [500, 150]);
    expect(log).toEqual([]);
    stopped = false;
    feed('p', [900, 150]);
    expect(log).toEqual([]); // asked again only after the recheck time
    engine.tick(1000);
    expect(log).toEqual(['+r@1000']);
  });

  it('evaluates only the rules of a sample\'s point', () => {
    const { engine, feed } = engineWith([rule({ id: 'a', kind: 'limit', level: 'H', limit: 1, pointId: 'a' }), rule({ id: 'b', kind: 'limit', level: 'H', limit: 1, pointId: 'b' })]);
    feed('a', [1, 0], [2, 0]);
    feed('c', [3, 0]);
    expect(engine.evaluations).toBe(2);
  });

  it('leaves out disabled rules', () => {
    const { log, feed } = engineWith([rule({ kind: 'limit', level: 'H', limit: 1, enabled: false })]);
    feed('p', [1, 5]);
    expect(log).toEqual([]);
  });
});
