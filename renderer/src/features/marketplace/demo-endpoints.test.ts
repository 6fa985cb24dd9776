import { describe, expect, it } from 'vitest';
import { TemplateManifestSchema } from '../../../../shared/cloud/manifest.ts';
import { demoMachineFor, demoUnitId, fillFromDemo } from './demo-endpoints.ts';
import { initialDraft, parametersFromDraft, setDraftValue } from './parameter-form.ts';

const label = (text: string) => ({ 'zh-CN': text, en: text });
const endpoints = {
  cnc: { host: '127.0.0.1', port: 5020 },
  moulding: { host: '127.0.0.1', port: 5021 },
  meter: { host: '127.0.0.1', port: 5022 },
  compressor: { host: '127.0.0.1', port: 5023 },
};

const meterParameters = TemplateManifestSchema.shape.parameters.parse([
  { id: 'host', label: label('Host'), type: 'string', required: true },
  { id: 'port', label: label('Port'), type: 'integer', default: 502 },
  { id: 'unit-id', label: label('Unit id'), type: 'integer', default: 1 },
  {
    id: 'model',
    label: label('Model'),
    type: 'string',
    default: 'chint-dtsu666',
    choices: [
      { value: 'chint-dtsu666', label: label('CHINT DTSU666') },
      { value: 'acrel-adl400', label: label('Acrel ADL400') },
      { value: 'schneider-pm5560', label: label('Schneider PM5560') },
      { value: 'other', label: label('Other') },
    ],
  },
]);

describe('the demo plant in the install form', () => {
  it('finds the demo machine for a template\'s categories', () => {
    expect(demoMachineFor(['cnc'], endpoints)).toEqual({ machine: 'cnc', endpoint: endpoints.cnc });
    expect(demoMachineFor(['injection-moulding'], endpoints)?.machine).toBe('moulding');
    expect(demoMachineFor(['reports', 'energy'], endpoints)?.machine).toBe('meter');
    expect(demoMachineFor(['air-compressor'], endpoints)?.endpoint.port).toBe(5023);
    expect(demoMachineFor(['reports'], endpoints)).toBeNull();
    expect(demoMachineFor(['cnc'], null)).toBeNull();
    expect(demoMachineFor(['cnc'], { meter: endpoints.meter })).toBeNull();
  });

  it('gives each meter model the demo\'s unit id, and unit 1 to anything else', () => {
    const model = meterParameters.find((parameter) => parameter.id === 'model')!;
    const draft = initialDraft(meterParameters);
    expect(demoUnitId(meterParameters, draft)).toBe(2);
    expect(demoUnitId(meterParameters, setDraftValue(draft, model, 'acrel-adl400'))).toBe(3);
    expect(demoUnitId(meterParameters, setDraftValue(draft, model, 'schneider-pm5560'))).toBe(4);
    expect(demoUnitId(meterParameters, setDraftValue(draft, model, 'other'))).toBe(1);
  });

  it('fills host, port and unit id, and the form then installs', () => {
    const model = meterParameters.find((parameter) => parameter.id === 'model')!;
    const draft = setDraftValue(initialDraft(meterParameters), model, 'acrel-adl400');
    const filled = fillFromDemo(meterParameters, draft, endpoints.meter);
    expect(parametersFromDraft(meterParameters, filled)).toEqual({
      ok: true,
      parameters: { host: '127.0.0.1', port: 5022, 'unit-id': 3, model: 'acrel-adl400' },
    });
  });

  it('leaves a template without host, port or unit id as it was', () => {
    const parameters = TemplateManifestSchema.shape.parameters.parse([{ id: 'line', label: label('Line'), type: 'string', default: 'A' }]);
    const draft = initialDraft(parameters);
    expect(fillFromDemo(parameters, draft, endpoints.cnc)).toEqual(draft);
  });
});
