import { describe, expect, it } from 'vitest';
import { DeviceSchema, PointSchema } from '../../../shared/domain/devices.ts';
import { fieldSchema, numberRange, parseNumberText, schemaErrors } from './schema-errors.ts';

describe('schema errors', () => {
  it('reads number ranges from the schema, through defaults and the connection kinds', () => {
    expect(numberRange(fieldSchema(DeviceSchema, ['unitId']))).toEqual({ min: 0, max: 255 });
    expect(numberRange(fieldSchema(DeviceSchema, ['connection', 'port'], { connection: { kind: 'tcp' } }))).toEqual({ min: 1, max: 65535 });
    expect(numberRange(fieldSchema(DeviceSchema, ['connection', 'baudRate'], { connection: { kind: 'rtu' } }))).toEqual({ min: 300, max: 921600 });
    expect(numberRange(fieldSchema(PointSchema, ['deadband']))).toBeNull();
  });

  it('turns each issue into a message key for its field', () => {
    const value = { id: 'a b', name: '', connection: { kind: 'tcp', host: 'h', port: 0 }, unitId: 1, maxGap: 101 };
    const result = DeviceSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(schemaErrors(DeviceSchema, value, result.error!.issues)).toEqual({
      id: { key: 'form.idCharacters' },
      name: { key: 'form.required' },
      'connection.port': { key: 'form.range', params: { min: 1, max: 65535 } },
      maxGap: { key: 'form.range', params: { min: 0, max: 100 } },
    });
  });

  it('parses numbers as technicians type them', () => {
    expect(parseNumberText(' 0,5 ')).toEqual({ ok: true, value: 0.5 });
    expect(parseNumberText('-12')).toEqual({ ok: true, value: -12 });
    expect(parseNumberText('1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseNumberText('')).toEqual({ ok: false, error: { key: 'form.required' } });
    expect(parseNumberText('12 rpm')).toEqual({ ok: false, error: { key: 'form.number' } });
    expect(parseNumberText('0x10')).toEqual({ ok: false, error: { key: 'form.number' } });
  });
});
