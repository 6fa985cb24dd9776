import { describe, expect, it } from 'vitest';
import { TemplateManifestSchema } from '../../../../shared/cloud/manifest.ts';
import { en } from '../../../../shared/i18n/index.ts';
import { draftParameterValue, initialDraft, instanceIdProblem, parametersFromDraft, setDraftValue } from './parameter-form.ts';

const label = (text: string) => ({ 'zh-CN': text, en: text });
const parameters = TemplateManifestSchema.shape.parameters.parse([
  { id: 'host', label: label('Host'), type: 'string', required: true },
  { id: 'port', label: label('Port'), type: 'integer', default: 502 },
  { id: 'rated-power', label: label('Rated power'), type: 'number', required: true },
  { id: 'log-raw', label: label('Log raw'), type: 'boolean' },
  {
    id: 'model',
    label: label('Model'),
    type: 'string',
    required: true,
    default: 'chint-dtsu666',
    choices: [
      { value: 'chint-dtsu666', label: label('CHINT DTSU666') },
      { value: 'acrel-adl400', label: label('Acrel ADL400') },
    ],
  },
  { id: 'phases', label: label('Phases'), type: 'integer', choices: [{ value: 1, label: label('1') }, { value: 3, label: label('3') }] },
]);

describe('the install form', () => {
  it('opens with every default: numbers as text, a choice as its place in the list, tick boxes off', () => {
    expect(initialDraft(parameters)).toEqual({ host: '', port: '502', 'rated-power': '', 'log-raw': false, model: '0', phases: '' });
  });

  it('opens with an instance\'s own values when given', () => {
    const draft = initialDraft(parameters, { host: '10.0.0.5', model: 'acrel-adl400', phases: 3, 'log-raw': true });
    expect(draft).toMatchObject({ host: '10.0.0.5', model: '1', phases: '1', 'log-raw': true, port: '502' });
  });

  it('turns a filled form into typed parameters, leaving empty optional ones out', () => {
    let draft = initialDraft(parameters);
    draft = { ...draft, host: ' 192.168.1.20 ', 'rated-power': '7,5', phases: '1' };
    expect(parametersFromDraft(parameters, draft)).toEqual({
      ok: true,
      parameters: { host: '192.168.1.20', port: 502, 'rated-power': 7.5, 'log-raw': false, model: 'chint-dtsu666', phases: 3 },
    });
    const withoutPort = parametersFromDraft(parameters, { ...draft, port: '' });
    expect(withoutPort.ok && 'port' in withoutPort.parameters).toBe(false);
  });

  it('names each wrong field with a message both languages have', () => {
    const result = parametersFromDraft(parameters, { host: '', port: '50.5', 'rated-power': 'fast', 'log-raw': false, model: '', phases: '' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual({
      host: { key: 'store.param.required' },
      port: { key: 'store.param.notInteger' },
      'rated-power': { key: 'store.param.notNumber' },
      model: { key: 'store.param.choose' },
    });
    for (const message of Object.values(result.errors)) expect(Object.hasOwn(en, message.key)).toBe(true);
    const long = parametersFromDraft(parameters, { ...initialDraft(parameters), host: 'x'.repeat(201), 'rated-power': '1' });
    expect(long).toEqual({ ok: false, errors: { host: { key: 'store.param.tooLong', params: { max: 200 } } } });
  });

  it('sets and reads values as the user would have picked them', () => {
    const model = parameters.find((parameter) => parameter.id === 'model')!;
    const port = parameters.find((parameter) => parameter.id === 'port')!;
    let draft = setDraftValue(initialDraft(parameters), model, 'acrel-adl400');
    draft = setDraftValue(draft, port, 5020);
    expect(draft.model).toBe('1');
    expect(draft.port).toBe('5020');
    expect(draftParameterValue(model, draft)).toBe('acrel-adl400');
    expect(draftParameterValue(port, draft)).toBe('5020');
    expect(draftParameterValue(model, { ...draft, model: '' })).toBeUndefined();
  });
});

describe('the instance name', () => {
  it('follows the contract\'s rule and must be free', () => {
    expect(instanceIdProblem('cnc-1', ['meter-1'])).toBeNull();
    expect(instanceIdProblem('Line_A-2', [])).toBeNull();
    expect(instanceIdProblem('', [])).toEqual({ key: 'store.instanceId.invalid' });
    expect(instanceIdProblem('cnc 1', [])).toEqual({ key: 'store.instanceId.invalid' });
    expect(instanceIdProblem('-cnc', [])).toEqual({ key: 'store.instanceId.invalid' });
    expect(instanceIdProblem('x'.repeat(25), [])).toEqual({ key: 'store.instanceId.invalid' });
    expect(instanceIdProblem('CNC-1', ['cnc-1'])).toEqual({ key: 'store.instanceId.taken', params: { instance: 'CNC-1' } });
  });
});
