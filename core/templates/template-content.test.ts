// Reading a package's content for one instance: the parts templates rely on beyond plain
// substitution — entries chosen by a parameter (`when`), names in the installer's language,
// arithmetic on parameters, parameter choices, KPI definitions and the plant meter with derived ids,
// tags on the package's own or an existing device, translations, and the kinds refused.
import { describe, expect, it } from 'vitest';
import { TemplateManifestSchema, type ContentKind } from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import { translate } from '../../shared/i18n/index.ts';
import { readTemplateContent, type ContentContext, type TemplateParameters } from './template-content.ts';
import { caughtAppError } from '../test-support.ts';

const text = (en: string, zh: string) => ({ en, 'zh-CN': zh });
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

function meterPackage() {
  const manifest = TemplateManifestSchema.parse({
    manifestVersion: 1,
    id: 'acme.meter',
    version: '1.0.0',
    name: text('Meter', '电表'),
    summary: text('Meter', '电表'),
    description: text('Meter', '电表'),
    publisher: { id: 'acme', name: 'Acme' },
    appVersions: '>=0.1.0',
    licence: {},
    parameters: [
      { id: 'model', label: text('Model', '型号'), type: 'string', default: 'a', choices: [{ value: 'a', label: text('A', 'A') }, { value: 'b', label: text('B', 'B') }] },
      { id: 'ct', label: text('CT ratio', '变比'), type: 'number', default: 1 },
      { id: 'setpoint', label: text('Setpoint', '设定值'), type: 'number', default: 220 },
      { id: 'whole-plant', label: text('Whole plant', '全厂'), type: 'boolean', default: false },
    ],
    contents: { deviceProfiles: ['devices/a.json', 'devices/b.json'], alarmRules: ['alarms.json'], dashboards: ['dashboard.json'], kpis: ['kpis.json'] },
  });
  const profile = (model: string, address: number, scale: unknown) => ({
    when: { parameter: 'model', equals: model },
    device: { id: 'meter', name: text('Meter {{param.model}}', '电表 {{param.model}}'), connection: { kind: 'tcp', host: '10.0.0.9', port: 502 } },
    points: [
      { id: 'current', name: text('Current', '电流'), address, dataType: 'uint16', scale },
      { id: 'energy', name: text('Energy', '电能'), description: text('Imported', '正向'), address: address + 10, dataType: 'uint32', kind: 'counter' },
    ],
  });
  const files = new Map([
    ['devices/a.json', json(profile('a', 0, 0.01))],
    ['devices/b.json', json(profile('b', 100, { $multiply: [0.01, '{{param.ct}}'] }))],
    ['alarms.json', json([{ id: 'high', kind: 'limit', pointId: 'current', level: 'H', limit: { $sum: ['{{param.setpoint}}', { $multiply: [-1, 20] }] }, severity: 'high', message: text('high', '高') }])],
    [
      'dashboard.json',
      json({
        id: 'energy',
        name: text('Energy', '能源'),
        widgets: [
          { id: 'today', type: 'valueTile', x: 0, y: 0, w: 2, h: 2, options: { source: { kind: 'point', pointId: 'current' } } },
          { when: { parameter: 'model', equals: 'b' }, id: 'only-b', type: 'trend', x: 2, y: 0, w: 4, h: 3, options: { pointIds: ['energy', 'other.point'] } },
        ],
      }),
    ],
    [
      'kpis.json',
      json({
        plantMeter: { when: { parameter: 'whole-plant', equals: true }, pointId: 'energy', kind: 'energy' },
        definitions: [
          { id: 'kwh', name: text('Energy', '用电量'), inputs: [{ source: 'point', name: 'kwh', pointId: 'energy', aggregation: 'increase' }, { source: 'point', name: 'parts', pointId: 'line.parts', aggregation: 'increase' }], expression: 'kwh / parts', unit: 'kWh' },
        ],
      }),
    ],
  ]);
  return { manifest, files };
}

const context = (locale?: 'en' | 'zh-CN'): ContentContext => ({ template: 'acme.meter', version: '1.0.0', instance: 'm1', ...(locale ? { locale } : {}) });
const defaults: TemplateParameters = { model: 'a', ct: 1, setpoint: 220, 'whole-plant': false };

describe('template content', () => {
  it('uses only the entries whose `when` matches, so two profiles may declare the same ids', () => {
    const a = readTemplateContent(meterPackage(), defaults, context());
    expect(a.devices.map((device) => device.name)).toEqual(['电表 a']);
    expect(a.points.map((point) => [point.id, point.address])).toEqual([['m1.current', 0], ['m1.energy', 10]]);
    expect(a.dashboards[0]!.widgets.map((widget) => widget.id)).toEqual(['today']);
    const b = readTemplateContent(meterPackage(), { ...defaults, model: 'b', ct: 40 }, context());
    expect(b.points.map((point) => [point.id, point.address, point.scale])).toEqual([['m1.current', 100, 0.4], ['m1.energy', 110, 1]]);
    expect(b.dashboards[0]!.widgets[1]).toMatchObject({ id: 'only-b', options: { pointIds: ['m1.energy', 'other.point'] } });
  });

  it('names things in the installer language, the other language becoming the description unless one is given', () => {
    const english = readTemplateContent(meterPackage(), defaults, context('en'));
    expect(english.devices[0]!.name).toBe('Meter a');
    expect(english.points.map((point) => [point.name, point.description])).toEqual([['Current', '电流'], ['Energy', 'Imported']]);
    expect(english.kpiDefinitions[0]!.name).toBe('Energy');
    const chinese = readTemplateContent(meterPackage(), defaults, context());
    expect(chinese.points.map((point) => [point.name, point.description])).toEqual([['电流', 'Current'], ['电能', '正向']]);
    expect(chinese.kpiDefinitions[0]!.name).toBe('用电量');
  });

  it('works out $sum and $multiply over parameters, and refuses them over anything but numbers', () => {
    expect(readTemplateContent(meterPackage(), { ...defaults, setpoint: 230 }, context()).alarmRules[0]).toMatchObject({ id: 'm1.high', pointId: 'm1.current', limit: 210 });
    const broken = meterPackage();
    broken.files.set('alarms.json', json([{ id: 'high', kind: 'limit', pointId: 'current', level: 'H', limit: { $sum: ['{{param.model}}', 1] }, severity: 'high', message: text('high', '高') }]));
    expect(() => readTemplateContent(broken, defaults, context())).toThrow(/alarms\.json.*"\$sum" needs a list of numbers/);
  });

  it('refuses a value outside a parameter’s choices, naming the parameter', () => {
    try {
      readTemplateContent(meterPackage(), { ...defaults, model: 'c' }, context());
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details).toMatchObject({ parameter: 'model', problem: 'must be one of a, b' });
    }
  });

  it('reads KPI definitions and the plant meter with the ids derived, leaving outside references alone', () => {
    const content = readTemplateContent(meterPackage(), { ...defaults, 'whole-plant': true }, context());
    expect(content.kpiDefinitions).toHaveLength(1);
    expect(content.kpiDefinitions[0]).toMatchObject({ id: 'm1.kwh', inputs: [{ pointId: 'm1.energy' }, { pointId: 'line.parts' }] });
    expect(content.plantMeter).toEqual({ pointId: 'm1.energy', kind: 'energy' });
    expect(readTemplateContent(meterPackage(), defaults, context()).plantMeter).toBeNull();
  });

  it('derives a widget’s kpiId and refuses a KPI formula over unknown inputs, naming the file', () => {
    const pkg = meterPackage();
    pkg.files.set(
      'dashboard.json',
      json({ id: 'energy', name: text('Energy', '能源'), widgets: [{ id: 'kwh', type: 'valueTile', x: 0, y: 0, w: 2, h: 2, options: { source: { kind: 'kpi', kpiId: 'kwh', period: 'shift' } } }] }),
    );
    expect(readTemplateContent(pkg, defaults, context()).dashboards[0]!.widgets[0]).toMatchObject({ options: { source: { kind: 'kpi', kpiId: 'm1.kwh', period: 'shift' } } });
    pkg.files.set('kpis.json', json({ definitions: [{ id: 'bad', name: 'Bad', inputs: [{ source: 'point', name: 'kwh', pointId: 'energy', aggregation: 'increase' }], expression: 'kwh / nothing' }] }));
    expect(() => readTemplateContent(pkg, defaults, context())).toThrow(/kpis\.json.*KPI m1\.bad/);
  });

  it('reads tags: points on the package\'s own device get derived ids and device, on an existing device the device stays', () => {
    const pkg = withKinds(meterPackage(), { tags: ['tags.json'] });
    pkg.manifest.parameters.push({ id: 'line', label: text('Line PLC', '产线 PLC'), type: 'device', required: true });
    pkg.files.set(
      'tags.json',
      json([
        { deviceId: 'meter', points: [{ id: 'voltage', name: text('Voltage', '电压'), address: 20, dataType: 'uint16', scale: { $multiply: [0.1, '{{param.ct}}'] } }] },
        { deviceId: '{{param.line}}', points: [{ id: 'line-energy', name: 'Line energy', address: 7, dataType: 'uint32', kind: 'counter' }] },
        { when: { parameter: 'model', equals: 'b' }, deviceId: '{{param.line}}', points: [{ id: 'only-b', name: 'B only', address: 8, dataType: 'uint16' }] },
      ]),
    );
    // A rule on a tag point follows its derived id.
    pkg.files.set('alarms.json', json([{ id: 'low', kind: 'limit', pointId: 'line-energy', level: 'L', limit: 0, severity: 'low', message: text('low', '低') }]));
    const content = readTemplateContent(pkg, { ...defaults, line: 'plc-7', ct: 2 }, context('en'));
    expect(content.points.map((point) => [point.id, point.deviceId, point.name])).toEqual([
      ['m1.current', 'm1.meter', 'Current'],
      ['m1.energy', 'm1.meter', 'Energy'],
      ['m1.voltage', 'm1.meter', 'Voltage'],
      ['m1.line-energy', 'plc-7', 'Line energy'],
    ]);
    expect(content.points[2]!.scale).toBe(0.2);
    expect(content.alarmRules[0]).toMatchObject({ id: 'm1.low', pointId: 'm1.line-energy' });
    expect(content.devices.map((device) => device.id)).toEqual(['m1.meter']);

    // A tag point declaring a profile's point id is the same id twice; a tag entry without a device is refused, naming the file.
    pkg.files.set('tags.json', json([{ deviceId: 'meter', points: [{ id: 'energy', name: 'Again', address: 30, dataType: 'uint16' }] }]));
    expect(() => readTemplateContent(pkg, { ...defaults, line: 'plc-7' }, context())).toThrow(/tags\.json.*"m1\.energy" is declared twice/);
    pkg.files.set('tags.json', json([{ points: [] }]));
    expect(() => readTemplateContent(pkg, { ...defaults, line: 'plc-7' }, context())).toThrow(/tags\.json.*0\.deviceId/);
  });

  it('fills {{t.<key>}} from the translations in the installer language, falling back to the other one', () => {
    const pkg = withKinds(meterPackage(), { translations: ['texts/a.json', 'texts/b.json'] });
    pkg.files.set('texts/a.json', json({ 'zh-CN': { 'meter.name': '{{param.model}} 型电表', current: '电流' }, en: { 'meter.name': 'Meter model {{param.model}}', current: 'Current' } }));
    // Only English for this one: Chinese installs fall back to it.
    pkg.files.set('texts/b.json', json({ en: { energy: 'Energy imported' } }));
    const profile = (model: string) => ({
      when: { parameter: 'model', equals: model },
      device: { id: 'meter', name: '{{t.meter.name}}', connection: { kind: 'tcp', host: '10.0.0.9', port: 502 } },
      points: [
        { id: 'current', name: '{{t.current}} ({{instance}})', address: 0, dataType: 'uint16' },
        { id: 'energy', name: '{{t.energy}}', address: 10, dataType: 'uint32', kind: 'counter' },
      ],
    });
    pkg.files.set('devices/a.json', json(profile('a')));
    pkg.files.set('devices/b.json', json(profile('b')));
    const chinese = readTemplateContent(pkg, defaults, context('zh-CN'));
    expect(chinese.devices[0]!.name).toBe('a 型电表');
    expect(chinese.points.map((point) => point.name)).toEqual(['电流 (m1)', 'Energy imported']);
    const english = readTemplateContent(pkg, { ...defaults, model: 'b' }, context('en'));
    expect(english.devices[0]!.name).toBe('Meter model b');
    expect(english.points.map((point) => point.name)).toEqual(['Current (m1)', 'Energy imported']);

    // A key no translation defines: a sentence naming the file and the key, in both languages.
    pkg.files.set('alarms.json', json([{ id: 'high', kind: 'limit', pointId: 'current', level: 'H', limit: 5, severity: 'high', message: text('{{t.too-high}}', '{{t.too-high}}') }]));
    const error = caught(() => readTemplateContent(pkg, defaults, context()));
    expect(error).toMatchObject({ code: 'invalid_input', key: 'error.templateTranslationMissing', params: { file: 'alarms.json', key: 'too-high', instance: 'm1' } });
    for (const locale of ['en', 'zh-CN'] as const) expect(translate(locale, error.key, error.params)).toMatch(/alarms\.json.*too-high/);

    // A translations file must be { "zh-CN": {...}, "en": {...} }, and may not define a text twice.
    pkg.files.set('texts/b.json', json({ fr: { energy: 'Énergie' } }));
    expect(() => readTemplateContent(pkg, defaults, context())).toThrow(/texts\/b\.json/);
    pkg.files.set('texts/b.json', json({ en: { current: 'Current again' } }));
    expect(() => readTemplateContent(pkg, defaults, context())).toThrow(/texts\/b\.json.*"current" is declared twice/);
  });

  it('refuses reports and agents, saying why', () => {
    for (const [kind, key] of [
      ['reports', 'error.templateReportsRefused'],
      ['agents', 'error.templateAgentsRefused'],
    ] as const) {
      const pkg = withKinds(meterPackage(), { [kind]: [`${kind}/x.json`] });
      pkg.files.set(`${kind}/x.json`, json({}));
      const error = caught(() => readTemplateContent(pkg, defaults, context()));
      expect(error).toMatchObject({ code: 'invalid_input', key, params: { template: 'acme.meter', instance: 'm1', kind } });
      expect(translate('en', error.key, error.params)).toMatch(kind === 'reports' ? /no reports feature/ : /program code/);
      expect(translate('zh-CN', error.key, error.params)).toContain('acme.meter');
    }
  });
});

/** The package with more content kinds in its manifest. */
function withKinds(pkg: ReturnType<typeof meterPackage>, contents: Partial<Record<ContentKind, string[]>>) {
  return { manifest: { ...pkg.manifest, parameters: [...pkg.manifest.parameters], contents: { ...pkg.manifest.contents, ...contents } }, files: pkg.files };
}

const caught = caughtAppError;
