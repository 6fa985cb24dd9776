// What a template package contributes, read from its files with the user's parameters filled in and
// every id derived from the instance id, so three instances of one template never collide.
//
// Content files (the paths the manifest lists under `contents`), all JSON:
// - deviceProfiles: `{ "device": Device, "points": Point[] }` (points without `deviceId`), or a list of them
// - alarmRules: a list of alarm rules (shared/domain/alarms.ts)
// - dashboards: one dashboard document (shared/domain/dashboards.ts)
// - kpis: a list of KPI machines (shared/domain/machines.ts), or `{ "machines": [...], "definitions": [...],
//   "plantMeter": Meter }` with KPI definitions (shared/domain/kpis.ts) and the plant's meter besides
// - tags: a list of `{ "deviceId": …, "points": Point[] }` (points without `deviceId`): points added to a
//   device the package declares, or to an existing device chosen through a `device` parameter
// - translations: `{ "zh-CN": { "<key>": "text" }, "en": { … } }`, the texts `{{t.<key>}}` stands for
// reports and agents are refused: the app has no reports, and agents would be code.
// An entry of any list, a member of any object, or a whole file with
// `"when": { "parameter": "<id>", "equals": <value> }` is used only when that parameter has that
// value, so one package can hold a profile per device model declaring the same point ids.
// A device's, point's, machine's or KPI's `name` (and `description`) may be `{ "zh-CN": …, "en": … }`:
// the installer's language is used, the other goes to the description when none is given.
// `{ "$multiply": [0.01, "{{param.ct-ratio}}"] }` and `{ "$sum": [...] }` stand for the product or
// sum of their numbers (a scale times a CT ratio, a setpoint plus a band).
// In any string, `{{param.<id>}}` is the value of a parameter (a string that is only the placeholder
// takes the parameter's type, so a port stays a number), `{{instance}}` the instance id and `{{t.<key>}}`
// a translation in the installer's language (the other one when it has none). Ids the
// package declares (devices, points, rules, dashboards, machines, KPI definitions) become
// `<instance>.<id>`; a reference to one of them (a rule's pointId, a machine's stateTag, a widget's
// pointIds or kpiId, a KPI input's pointId or machineId) follows; a reference to anything else (an
// existing device chosen through a `device` parameter) stays. See docs/template-packages.md.
import { z } from 'zod';
import type { ContentKind, TemplateManifest } from '../../shared/cloud/index.ts';
import { AlarmRuleListSchema, type AlarmRule } from '../../shared/domain/alarms.ts';
import { DashboardSchema, type Dashboard } from '../../shared/domain/dashboards.ts';
import { DeviceSchema, PointSchema, type Device, type Point } from '../../shared/domain/devices.ts';
import { checkKpiDefinition, KpiDefinitionSchema, type KpiDefinition } from '../../shared/domain/kpis.ts';
import { MachineSchema, MeterSchema, type Machine, type Meter } from '../../shared/domain/machines.ts';
import { AppError } from '../../shared/errors.ts';
import type { Locale, MessageKey } from '../../shared/i18n/index.ts';

export type ParameterValue = string | number | boolean;
export type TemplateParameters = Record<string, ParameterValue>;

/** The content kinds this PlantDesk installs; a package with any other kind is refused whole. */
export const SUPPORTED_CONTENT_KINDS = ['deviceProfiles', 'tags', 'alarmRules', 'dashboards', 'kpis', 'translations'] as const satisfies readonly ContentKind[];

/** The kinds refused, each with the sentence saying why: PlantDesk has no reports, and agents would be code. */
const REFUSED_CONTENT_KINDS: Record<Exclude<ContentKind, (typeof SUPPORTED_CONTENT_KINDS)[number]>, MessageKey> = {
  reports: 'error.templateReportsRefused',
  agents: 'error.templateAgentsRefused',
};

/** An instance id: short, so the ids derived from it stay within 64 characters. */
export const InstanceIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,23}$/, 'letters, digits, "_" and "-", at most 24');

export interface TemplateContent {
  devices: Device[];
  points: Point[];
  alarmRules: AlarmRule[];
  dashboards: Dashboard[];
  machines: Machine[];
  kpiDefinitions: KpiDefinition[];
  /** The meter the package offers as the plant's meter (energy cost by tariff band), when a kpis file names one. */
  plantMeter: Meter | null;
}

export interface ContentSource {
  manifest: TemplateManifest;
  files: ReadonlyMap<string, Buffer>;
}

/** Who is installing what, for the messages. */
export type ContentContext = {
  template: string;
  version: string;
  instance: string;
  /** The language names given in both languages resolve to; zh-CN when not given. */
  locale?: Locale;
};

const DeviceProfileSchema = z.object({ device: z.unknown(), points: z.array(z.unknown()).default([]) });
const TagListSchema = z.array(z.object({ deviceId: z.string().min(1), points: z.array(z.unknown()) }));
const TRANSLATION_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const TranslationTextsSchema = z.record(z.string().regex(TRANSLATION_KEY, 'a key is letters, digits, "_", "-" and "."'), z.string().max(4000));
const TranslationsSchema = z.strictObject({ 'zh-CN': TranslationTextsSchema.optional(), en: TranslationTextsSchema.optional() });

/** What a string's placeholders stand for: parameters, the instance id and the package's texts. */
type Placeholders = { parameters: TemplateParameters; instanceId: string; text: (key: string) => string };

function contentError(context: ContentContext, file: string, problem: string): never {
  throw new AppError('invalid_input', 'error.templateContentInvalid', { params: { ...context, file, problem }, details: { file, problem } });
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid';
}

/** Fills `{{param.<id>}}`, `{{instance}}` and `{{t.<key>}}` in every string of a JSON value. */
function substitute(value: unknown, fill: Placeholders, fail: (problem: string) => never): unknown {
  const { parameters } = fill;
  if (typeof value === 'string') {
    const whole = /^\{\{param\.([A-Za-z0-9_-]+)\}\}$/.exec(value);
    if (whole) {
      const parameter = parameters[whole[1]!];
      if (parameter === undefined) fail(`unknown parameter "${whole[1]}"`);
      return parameter;
    }
    return value.replace(/\{\{(param\.([A-Za-z0-9_-]+)|instance|t\.([A-Za-z0-9_.-]+))\}\}/g, (_all, _name: string, id: string | undefined, key: string | undefined) => {
      if (key !== undefined) return fill.text(key);
      if (id === undefined) return fill.instanceId;
      const parameter = parameters[id];
      if (parameter === undefined) fail(`unknown parameter "${id}"`);
      return String(parameter);
    });
  }
  if (Array.isArray(value)) {
    return value.filter((item) => applies(item, parameters, fail)).map((item) => substitute(item, fill, fail));
  }
  if (typeof value === 'object' && value !== null) {
    // A member whose value has a `when` that does not match is left out, as a list entry is.
    const entries = Object.entries(value).filter(([key, item]) => key !== 'when' && applies(item, parameters, fail));
    if (entries.length === 1 && (entries[0]![0] === '$multiply' || entries[0]![0] === '$sum')) {
      return arithmetic(entries[0]![0], substitute(entries[0]![1], fill, fail), fail);
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, substitute(item, fill, fail)]));
  }
  return value;
}

/** Whether an entry with `when` is used for these parameters (entries without one always are). */
function applies(entry: unknown, parameters: TemplateParameters, fail: (problem: string) => never): boolean {
  if (!isObject(entry) || entry.when === undefined) return true;
  const when = entry.when;
  if (!isObject(when) || typeof when.parameter !== 'string' || !('equals' in when)) fail('"when" needs { "parameter": "<id>", "equals": <value> }');
  return parameters[when.parameter] === when.equals;
}

/** `$multiply` and `$sum` over numbers only: a scale times a CT ratio, a setpoint plus a band. */
function arithmetic(operation: string, operands: unknown, fail: (problem: string) => never): number {
  if (!Array.isArray(operands) || operands.length === 0 || !operands.every((operand) => typeof operand === 'number' && Number.isFinite(operand))) {
    fail(`"${operation}" needs a list of numbers`);
  }
  const numbers = operands as number[];
  return operation === '$sum' ? numbers.reduce((total, operand) => total + operand, 0) : numbers.reduce((total, operand) => total * operand, 1);
}

/** `{ "zh-CN", "en" }` names resolved to one language; the other becomes the description when there is none. */
function localised(entry: Json, locale: Locale): Json {
  const pick = (text: unknown, language: Locale) => (isObject(text) && typeof text[language] === 'string' ? (text[language] as string) : undefined);
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  const result: Json = { ...entry };
  if (isObject(entry.name)) {
    result.name = pick(entry.name, locale) ?? pick(entry.name, other);
    if (entry.description === undefined && pick(entry.name, other) !== undefined && pick(entry.name, locale) !== undefined) result.description = pick(entry.name, other);
  }
  if (isObject(entry.description)) result.description = pick(entry.description, locale) ?? pick(entry.description, other);
  return result;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The package's content for one instance: parsed, substituted, with derived ids, validated against
 * the app's own schemas. Throws an AppError naming the file on the first problem.
 */
export function readTemplateContent(source: ContentSource, parameters: TemplateParameters, context: ContentContext): TemplateContent {
  const { manifest } = source;
  const instanceId = context.instance;
  const locale = context.locale ?? 'zh-CN';
  for (const declared of manifest.parameters) {
    const value = parameters[declared.id];
    if (declared.choices && value !== undefined && !declared.choices.some((choice) => choice.value === value)) {
      const problem = `must be one of ${declared.choices.map((choice) => String(choice.value)).join(', ')}`;
      throw new AppError('invalid_input', 'error.templateParameterInvalid', { params: { ...context, parameter: declared.id, problem }, details: { parameter: declared.id, problem } });
    }
  }
  for (const kind of Object.keys(manifest.contents) as ContentKind[]) {
    if ((manifest.contents[kind] ?? []).length > 0 && kind in REFUSED_CONTENT_KINDS) {
      throw new AppError('invalid_input', REFUSED_CONTENT_KINDS[kind as keyof typeof REFUSED_CONTENT_KINDS], { params: { ...context, kind }, details: { kind } });
    }
  }
  // The texts `{{t.<key>}}` stands for, by language; filled in once the translation files are read.
  const texts: Record<Locale, Map<string, string>> = { 'zh-CN': new Map(), en: new Map() };
  let textsRead = false;
  const read = (file: string): unknown => {
    const bytes = source.files.get(file);
    if (!bytes) contentError(context, file, 'the file is not in the package');
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      contentError(context, file, 'not valid JSON');
    }
    const fail = (problem: string) => contentError(context, file, problem);
    const text = (key: string): string => {
      if (!textsRead) fail(`a translation cannot use another translation ({{t.${key}}})`);
      const found = texts[locale].get(key) ?? texts[locale === 'en' ? 'zh-CN' : 'en'].get(key);
      if (found === undefined) throw new AppError('invalid_input', 'error.templateTranslationMissing', { params: { ...context, file, key }, details: { file, key } });
      return found;
    };
    return applies(json, parameters, fail) ? substitute(json, { parameters, instanceId, text }, fail) : undefined;
  };
  /** The files of a kind, without those whose `when` does not match. */
  const filesOf = (kind: ContentKind) =>
    (manifest.contents[kind] ?? []).map((file) => ({ file, json: read(file) })).filter((entry) => entry.json !== undefined);

  for (const { file, json } of filesOf('translations')) {
    const parsed = TranslationsSchema.safeParse(json);
    if (!parsed.success) contentError(context, file, issueText(parsed.error));
    for (const language of ['zh-CN', 'en'] as const) {
      for (const [key, value] of Object.entries(parsed.data[language] ?? {})) {
        if (texts[language].has(key)) contentError(context, file, `the ${language} text "${key}" is declared twice`);
        texts[language].set(key, value);
      }
    }
  }
  textsRead = true;

  // First the raw documents, to learn every id the package declares.
  const profiles = filesOf('deviceProfiles').flatMap(({ file, json }) =>
    (Array.isArray(json) ? json : [json]).map((profile) => {
      const parsed = DeviceProfileSchema.safeParse(profile);
      if (!parsed.success || !isObject(parsed.data.device)) contentError(context, file, parsed.success ? 'device: expected an object' : issueText(parsed.error));
      return { file, device: parsed.data.device as Json, points: parsed.data.points };
    }),
  );
  const tags = filesOf('tags').flatMap(({ file, json }) => {
    const parsed = TagListSchema.safeParse(json);
    if (!parsed.success) contentError(context, file, issueText(parsed.error));
    return parsed.data.map((entry) => ({ file, ...entry }));
  });
  const ruleFiles = filesOf('alarmRules');
  const dashboardFiles = filesOf('dashboards');
  const kpiFiles = filesOf('kpis').map(({ file, json }) => {
    if (Array.isArray(json)) return { file, machines: json as unknown[], definitions: [] as unknown[], plantMeter: undefined as unknown };
    if (!isObject(json) || (json.machines !== undefined && !Array.isArray(json.machines)) || (json.definitions !== undefined && !Array.isArray(json.definitions))) {
      contentError(context, file, 'expected a list of machines, or { "machines": [...], "definitions": [...] }');
    }
    return { file, machines: (json.machines ?? []) as unknown[], definitions: (json.definitions ?? []) as unknown[], plantMeter: json.plantMeter };
  });

  const local = { device: new Set<string>(), point: new Set<string>(), machine: new Set<string>(), kpi: new Set<string>() };
  for (const profile of profiles) {
    if (typeof profile.device.id === 'string') local.device.add(profile.device.id);
    for (const point of profile.points) if (isObject(point) && typeof point.id === 'string') local.point.add(point.id);
  }
  for (const tag of tags) for (const point of tag.points) if (isObject(point) && typeof point.id === 'string') local.point.add(point.id);
  for (const { machines, definitions } of kpiFiles) {
    for (const machine of machines) if (isObject(machine) && typeof machine.id === 'string') local.machine.add(machine.id);
    for (const definition of definitions) if (isObject(definition) && typeof definition.id === 'string') local.kpi.add(definition.id);
  }

  const derive = (id: unknown) => (typeof id === 'string' ? `${instanceId}.${id}` : id);
  const ref = (kind: keyof typeof local, id: unknown) => (typeof id === 'string' && local[kind].has(id) ? derive(id) : id);
  const parse = <T>(schema: z.ZodType<T>, value: unknown, file: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) contentError(context, file, issueText(parsed.error));
    return parsed.data;
  };

  const content: TemplateContent = { devices: [], points: [], alarmRules: [], dashboards: [], machines: [], kpiDefinitions: [], plantMeter: null };
  const seen = new Set<string>();
  const once = (kind: string, id: string, file: string) => {
    if (seen.has(`${kind}:${id}`)) contentError(context, file, `the ${kind} id "${id}" is declared twice`);
    seen.add(`${kind}:${id}`);
  };
  const addPoints = (raws: readonly unknown[], deviceId: unknown, file: string) => {
    for (const raw of raws) {
      const point = parse(PointSchema, { ...(isObject(raw) ? localised(raw, locale) : {}), id: derive(isObject(raw) ? raw.id : undefined), deviceId }, file);
      once('point', point.id, file);
      content.points.push(point);
    }
  };
  for (const profile of profiles) {
    const device = parse(DeviceSchema, { ...localised(profile.device, locale), id: derive(profile.device.id) }, profile.file);
    once('device', device.id, profile.file);
    content.devices.push(device);
    addPoints(profile.points, device.id, profile.file);
  }
  // Tags on the package's own device follow its derived id; on an existing device the id stays.
  for (const tag of tags) addPoints(tag.points, ref('device', tag.deviceId), tag.file);
  for (const { file, json } of ruleFiles) {
    const rules = Array.isArray(json)
      ? json.map((rule) => (isObject(rule) ? { ...rule, id: derive(rule.id), ...('pointId' in rule ? { pointId: ref('point', rule.pointId) } : {}), ...('deviceId' in rule ? { deviceId: ref('device', rule.deviceId) } : {}) } : rule))
      : json;
    for (const rule of parse(AlarmRuleListSchema, rules, file)) {
      once('alarmRule', rule.id, file);
      content.alarmRules.push(rule);
    }
  }
  for (const { file, json } of dashboardFiles) {
    const document = isObject(json) ? { ...json, id: derive(json.id), widgets: Array.isArray(json.widgets) ? json.widgets.map(widgetRefs(ref)) : json.widgets } : json;
    const dashboard = parse(DashboardSchema, document, file);
    once('dashboard', dashboard.id, file);
    content.dashboards.push(dashboard);
  }
  for (const { file, machines, definitions, plantMeter } of kpiFiles) {
    if (plantMeter !== undefined) {
      if (content.plantMeter) contentError(context, file, 'the plant meter is declared twice');
      content.plantMeter = parse(MeterSchema, isObject(plantMeter) ? { ...plantMeter, pointId: ref('point', plantMeter.pointId) } : plantMeter, file);
    }
    for (const raw of machines) {
      const machine = isObject(raw)
        ? {
            ...localised(raw, locale),
            id: derive(raw.id),
            deviceId: ref('device', raw.deviceId),
            stateTag: ref('point', raw.stateTag),
            partCounter: ref('point', raw.partCounter),
            ...('scrapCounter' in raw ? { scrapCounter: ref('point', raw.scrapCounter) } : {}),
            ...('goodCounter' in raw ? { goodCounter: ref('point', raw.goodCounter) } : {}),
            ...(isObject(raw.meter) ? { meter: { ...raw.meter, pointId: ref('point', raw.meter.pointId) } } : {}),
          }
        : raw;
      const parsed = parse(MachineSchema, machine, file);
      once('machine', parsed.id, file);
      content.machines.push(parsed);
    }
    for (const raw of definitions) {
      const definition = isObject(raw)
        ? {
            ...localised(raw, locale),
            id: derive(raw.id),
            inputs: Array.isArray(raw.inputs)
              ? raw.inputs.map((input) =>
                  isObject(input) ? { ...input, ...('pointId' in input ? { pointId: ref('point', input.pointId) } : {}), ...('machineId' in input ? { machineId: ref('machine', input.machineId) } : {}) } : input,
                )
              : raw.inputs,
          }
        : raw;
      const parsed = parse(KpiDefinitionSchema, definition, file);
      try {
        checkKpiDefinition(parsed, locale);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        contentError(context, file, `KPI ${parsed.id}: ${error.message}`);
      }
      once('kpi', parsed.id, file);
      content.kpiDefinitions.push(parsed);
    }
  }
  return content;
}

/** A widget with its references to the package's points, machines and KPI definitions derived. */
function widgetRefs(ref: (kind: 'point' | 'machine' | 'kpi', id: unknown) => unknown) {
  return (widget: unknown): unknown => {
    if (!isObject(widget) || !isObject(widget.options)) return widget;
    const options: Json = { ...widget.options };
    if (isObject(options.source)) {
      const source: Json = { ...options.source };
      if ('pointId' in source) source.pointId = ref('point', source.pointId);
      if ('machineId' in source) source.machineId = ref('machine', source.machineId);
      if ('kpiId' in source) source.kpiId = ref('kpi', source.kpiId);
      options.source = source;
    }
    if (Array.isArray(options.pointIds)) options.pointIds = options.pointIds.map((id) => ref('point', id));
    if (Array.isArray(options.machineIds)) options.machineIds = options.machineIds.map((id) => ref('machine', id));
    if (typeof options.machineId === 'string') options.machineId = ref('machine', options.machineId);
    return { ...widget, options };
  };
}
