// The hot path: every live sample is checked against the rules on its point. Rules are compiled once
// into flat objects of numbers, indexed by point id (and device id for communication rules), so a
// sample costs one map lookup and a few comparisons per rule — no allocation, no closures. Only a
// transition (raise or clear, after its on/off delay) leaves the hot path, through the sink.
import { isHighLimit, type AlarmRule } from '../../shared/domain/alarms.ts';
import type { DeviceState, Sample } from '../../shared/domain/devices.ts';

const HIGH = 1;
const LOW = 2;
const RATE = 3;
const STUCK = 4;
const STATE = 5;
const DEVICE = 6;

/** A device that is not answering, for communication rules. 'error' answers (with exceptions), so it is not. */
export function isCommunicationLost(state: DeviceState): boolean {
  return state === 'disconnected' || state === 'quarantined';
}

/** One rule, compiled: its parameters as plain numbers, and its live state. */
export class CompiledRule {
  readonly rule: AlarmRule;
  /** The rule's config as stored, to tell an unchanged rule on reload (its state is kept). */
  readonly signature: string;
  readonly automatic: boolean;
  readonly code: number;
  /** Limit, rate (per ms) or — for stuck rules — unused. */
  readonly threshold: number;
  readonly deadband: number;
  /** Rate direction: 1 rise, -1 fall, 0 either. */
  readonly direction: number;
  /** Milliseconds per rate period (1000 or 60,000). */
  readonly perMs: number;
  readonly stuckMs: number;
  readonly tolerance: number;
  readonly numbers: readonly number[];
  readonly texts: readonly string[];
  readonly onDelayMs: number;
  readonly offDelayMs: number;

  /** The raw condition (with the deadband's hysteresis) as of the last evaluation. */
  condition = false;
  /** When `condition` last changed. */
  changedAt = 0;
  /** Whether the rule has raised its alarm (the condition held past the on-delay, and has not cleared). */
  alarmOn = false;
  /** Waiting in the engine's list for an on- or off-delay to run out. */
  pending = false;
  /** Until when a raise is held back because the machine is in a planned stop. */
  suppressedUntil = 0;
  /** The last value evaluated (number) and, for text values, its text. */
  value = Number.NaN;
  text: string | null = null;
  /** Rate rules: the previous sample, and the last computed rate. */
  previousValue = Number.NaN;
  previousTs = Number.NaN;
  rate = Number.NaN;
  /** Stuck rules: the value it has stayed at, and since when. */
  referenceValue = Number.NaN;
  referenceText: string | null = null;
  referenceTs = Number.NaN;

  constructor(rule: AlarmRule, automatic = false) {
    this.rule = rule;
    this.signature = JSON.stringify(rule);
    this.automatic = automatic;
    this.onDelayMs = rule.onDelayMs;
    this.offDelayMs = rule.offDelayMs;
    let threshold = 0;
    let deadband = 0;
    let direction = 0;
    let perMs = 1000;
    let stuckMs = 0;
    let tolerance = 0;
    let numbers: number[] = [];
    let texts: string[] = [];
    let code: number;
    switch (rule.kind) {
      case 'limit':
        code = isHighLimit(rule.level) ? HIGH : LOW;
        threshold = rule.limit;
        deadband = rule.deadband;
        break;
      case 'rateOfChange':
        code = RATE;
        threshold = rule.rate;
        deadband = rule.deadband;
        perMs = rule.per === 'minute' ? 60_000 : 1000;
        direction = rule.direction === 'rise' ? 1 : rule.direction === 'fall' ? -1 : 0;
        break;
      case 'stuck':
        code = STUCK;
        stuckMs = rule.forMs;
        tolerance = rule.tolerance;
        break;
      case 'state':
        code = STATE;
        numbers = rule.values.filter((value): value is number => typeof value === 'number');
        texts = rule.values.filter((value): value is string => typeof value === 'string');
        break;
      case 'disconnected':
        code = DEVICE;
        break;
    }
    this.code = code;
    this.threshold = threshold;
    this.deadband = deadband;
    this.direction = direction;
    this.perMs = perMs;
    this.stuckMs = stuckMs;
    this.tolerance = tolerance;
    this.numbers = numbers;
    this.texts = texts;
  }

  get id(): string {
    return this.rule.id;
  }

  /** The point a point rule watches; null for a device rule. */
  get pointId(): string | null {
    return this.rule.kind === 'disconnected' ? null : this.rule.pointId;
  }

  /** What tripped the rule, for its message: the value, the rate, or the text. */
  get trippedValue(): number | string | null {
    if (this.code === DEVICE) return null;
    if (this.code === RATE) return Number.isFinite(this.rate) ? this.rate : null;
    if (this.text !== null) return this.text;
    return Number.isFinite(this.value) ? this.value : null;
  }

  /** The limit, for its message: the limit, the rate, the seconds a value may stay still, the state. */
  get limitValue(): number | string | null {
    switch (this.rule.kind) {
      case 'limit':
        return this.rule.limit;
      case 'rateOfChange':
        return this.rule.rate;
      case 'stuck':
        return this.rule.forMs / 1000;
      case 'state':
        return this.rule.values.join(', ');
      default:
        return null;
    }
  }
}

/** Where the engine's transitions go (the alarm service). */
export interface RuleSink {
  /** The rule's condition held past its on-delay; return false to hold the raise back (suppressed). */
  raise(rule: CompiledRule, ts: number): boolean;
  /** The condition has been gone past the off-delay. */
  clear(rule: CompiledRule, ts: number): void;
}

export class RuleEngine {
  readonly #sink: RuleSink;
  #byPoint = new Map<string, CompiledRule[]>();
  #byDevice = new Map<string, CompiledRule>();
  #rules = new Map<string, CompiledRule>();
  /** Rules waiting for an on- or off-delay; the tick looks only at these. */
  #pending: CompiledRule[] = [];
  readonly #automaticRule: ((deviceId: string) => AlarmRule | undefined) | undefined;
  readonly #alarmOn: (ruleId: string) => boolean;
  #evaluations = 0;

  /**
   * `alarmOn(ruleId)`: whether a rule's alarm is raised now (restored after a restart), the state a
   * new or changed rule starts from. `automaticRule(deviceId)`: the communication rule of a device
   * no stored rule covers; undefined when it has none.
   */
  constructor(sink: RuleSink, options: { alarmOn?: (ruleId: string) => boolean; automaticRule?: (deviceId: string) => AlarmRule | undefined } = {}) {
    this.#sink = sink;
    this.#alarmOn = options.alarmOn ?? (() => false);
    this.#automaticRule = options.automaticRule;
  }

  /** How many rule evaluations ran (for the benchmark and tests). */
  get evaluations(): number {
    return this.#evaluations;
  }

  /**
   * Replaces the rules. A rule whose config did not change keeps its live state (a rate's last
   * sample, a stuck value's start); a new or changed one starts from whether its alarm is raised. Returns the rules whose id went away (deleted or disabled; an automatic
   * rule a stored one now replaces), for the caller to clear their alarms.
   */
  setRules(rules: readonly AlarmRule[], now: number): CompiledRule[] {
    const previous = this.#rules;
    const next = new Map<string, CompiledRule>();
    const byPoint = new Map<string, CompiledRule[]>();
    const byDevice = new Map<string, CompiledRule>();
    const explicitDevices = new Set<string>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const signature = JSON.stringify(rule);
      const old = previous.get(rule.id);
      const compiled = old && !old.automatic && old.signature === signature ? old : this.#fresh(rule, false, now);
      next.set(rule.id, compiled);
      if (rule.kind === 'disconnected') {
        explicitDevices.add(rule.deviceId);
        byDevice.set(rule.deviceId, compiled);
      } else {
        let list = byPoint.get(rule.pointId);
        if (!list) byPoint.set(rule.pointId, (list = []));
        list.push(compiled);
      }
    }
    // Automatic communication rules stay for devices no stored rule covers.
    for (const [deviceId, compiled] of this.#byDevice) {
      if (compiled.automatic && !explicitDevices.has(deviceId)) {
        next.set(compiled.id, compiled);
        byDevice.set(deviceId, compiled);
      }
    }
    const removed = [...previous.values()].filter((compiled) => !next.has(compiled.id));
    this.#rules = next;
    this.#byPoint = byPoint;
    this.#byDevice = byDevice;
    this.#pending = this.#pending.filter((compiled) => next.get(compiled.id) === compiled);
    for (const compiled of previous.values()) if (next.get(compiled.id) !== compiled) compiled.pending = false;
    return removed;
  }

  #fresh(rule: AlarmRule, automatic: boolean, now: number): CompiledRule {
    const compiled = new CompiledRule(rule, automatic);
    compiled.alarmOn = this.#alarmOn(rule.id);
    compiled.condition = compiled.alarmOn;
    compiled.changedAt = now;
    return compiled;
  }

  rule(id: string): CompiledRule | undefined {
    return this.#rules.get(id);
  }

  get size(): number {
    return this.#rules.size;
  }

  /** Checks a batch of live samples against the rules on their points. */
  evaluate(samples: readonly Sample[]): void {
    const byPoint = this.#byPoint;
    for (let index = 0; index < samples.length; index++) {
      const sample = samples[index]!;
      const rules = byPoint.get(sample.pointId);
      if (rules === undefined) continue;
      const value = sample.value;
      const ts = sample.ts;
      for (let at = 0; at < rules.length; at++) this.#evaluate(rules[at]!, ts, value);
    }
  }

  /** One sample against one rule. */
  #evaluate(rule: CompiledRule, ts: number, value: number | string | null): void {
    this.#evaluations++;
    let condition: boolean;
    if (typeof value === 'number') {
      switch (rule.code) {
        case HIGH:
          condition = rule.condition ? value > rule.threshold - rule.deadband : value > rule.threshold;
          break;
        case LOW:
          condition = rule.condition ? value < rule.threshold + rule.deadband : value < rule.threshold;
          break;
        case RATE: {
          const elapsed = ts - rule.previousTs;
          const previous = rule.previousValue;
          rule.previousTs = ts;
          rule.previousValue = value;
          // The first sample (NaN elapsed), or two at the same time, give no rate.
          if (!(elapsed > 0)) return;
          let rate = ((value - previous) * rule.perMs) / elapsed;
          if (rule.direction < 0) rate = -rate;
          else if (rule.direction === 0 && rate < 0) rate = -rate;
          rule.rate = rate;
          condition = rule.condition ? rate > rule.threshold - rule.deadband : rate > rule.threshold;
          break;
        }
        case STUCK:
          if (!(Math.abs(value - rule.referenceValue) <= rule.tolerance)) {
            rule.referenceValue = value;
            rule.referenceText = null;
            rule.referenceTs = ts;
            condition = false;
          } else {
            condition = ts - rule.referenceTs >= rule.stuckMs;
          }
          break;
        case STATE: {
          condition = false;
          const numbers = rule.numbers;
          for (let at = 0; at < numbers.length; at++) {
            if (numbers[at] === value) {
              condition = true;
              break;
            }
          }
          break;
        }
        default:
          return;
      }
      rule.value = value;
      if (rule.text !== null) rule.text = null;
    } else if (typeof value === 'string') {
      if (rule.code === STATE) {
        condition = rule.texts.includes(value);
      } else if (rule.code === STUCK) {
        if (rule.referenceText !== value) {
          rule.referenceText = value;
          rule.referenceTs = ts;
          condition = false;
        } else {
          condition = ts - rule.referenceTs >= rule.stuckMs;
        }
      } else {
        return;
      }
      rule.text = value;
    } else {
      // No value (a bad read): the rule keeps its state; the communication alarm says why.
      return;
    }
    this.#step(rule, condition, ts);
  }

  /** A device's connection state, for its communication rule (the automatic one if none is stored). */
  deviceStatus(deviceId: string, state: DeviceState, ts: number): void {
    // Not known yet (the first scan is still running): neither lost nor back.
    if (state === 'connecting') return;
    let rule = this.#byDevice.get(deviceId);
    if (rule === undefined) {
      const automatic = this.#automaticRule?.(deviceId);
      if (!automatic) return;
      rule = this.#fresh(automatic, true, ts);
      this.#byDevice.set(deviceId, rule);
      this.#rules.set(rule.id, rule);
    }
    this.#evaluations++;
    this.#step(rule, isCommunicationLost(state), ts);
  }

  /** Forgets a device's automatic rule (the device was deleted); returns it when it had one. */
  forgetDevice(deviceId: string): CompiledRule | undefined {
    const rule = this.#byDevice.get(deviceId);
    if (!rule?.automatic) return undefined;
    this.#byDevice.delete(deviceId);
    this.#rules.delete(rule.id);
    rule.pending = false;
    this.#pending = this.#pending.filter((pending) => pending !== rule);
    return rule;
  }

  /** Every compiled rule, the automatic communication rules included. */
  *rules(): IterableIterator<CompiledRule> {
    yield* this.#rules.values();
  }

  #step(rule: CompiledRule, condition: boolean, ts: number): void {
    if (condition !== rule.condition) {
      rule.condition = condition;
      rule.changedAt = ts;
    }
    if (condition === rule.alarmOn) return;
    if (condition) {
      if (ts - rule.changedAt >= rule.onDelayMs && ts >= rule.suppressedUntil && this.#sink.raise(rule, ts)) {
        rule.alarmOn = true;
        return;
      }
    } else if (ts - rule.changedAt >= rule.offDelayMs) {
      rule.alarmOn = false;
      this.#sink.clear(rule, ts);
      return;
    }
    if (!rule.pending) {
      rule.pending = true;
      this.#pending.push(rule);
    }
  }

  /** Runs out the on- and off-delays of rules whose samples stopped changing their condition. */
  tick(now: number): void {
    const pending = this.#pending;
    let kept = 0;
    for (let index = 0; index < pending.length; index++) {
      const rule = pending[index]!;
      if (rule.condition !== rule.alarmOn) {
        if (rule.condition) {
          if (now - rule.changedAt >= rule.onDelayMs && now >= rule.suppressedUntil && this.#sink.raise(rule, now)) rule.alarmOn = true;
        } else if (now - rule.changedAt >= rule.offDelayMs) {
          rule.alarmOn = false;
          this.#sink.clear(rule, now);
        }
      }
      if (rule.condition !== rule.alarmOn && this.#rules.get(rule.id) === rule) pending[kept++] = rule;
      else rule.pending = false;
    }
    pending.length = kept;
  }

  /** Marks a rule's alarm as not raised (it was cleared from outside: rule deleted, device removed). */
  static reset(rule: CompiledRule): void {
    rule.alarmOn = false;
    rule.condition = false;
  }
}
