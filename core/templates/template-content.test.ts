// Reading a package's content for one instance: the parts templates rely on beyond plain
// substitution — entries chosen by a parameter (`when`), names in the installer's language,
// arithmetic on parameters, parameter choices, KPI definitions and the plant meter with derived ids.
import { describe, expect, it } from 'vitest';
import { TemplateManifestSchema } from '../../shared/cloud/index.ts';
import { AppError } from '../../shared/errors.ts';
import { readTemplateContent, type ContentContext, type TemplateParameters } from './template-content.ts';

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
});
