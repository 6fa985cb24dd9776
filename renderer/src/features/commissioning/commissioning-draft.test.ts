import { describe, expect, it } from 'vitest';
import { DeviceSchema, PointSchema } from '../../../../shared/domain/devices.ts';
import { draftSnapshot, initialDraft, visibleErrors, visibleRowErrors } from './commissioning-draft.ts';

const device = DeviceSchema.parse({ id: 'cnc', name: 'CNC', connection: { kind: 'tcp', host: '127.0.0.1', port: 1502 } });
const point = PointSchema.parse({ id: 'cnc.speed', deviceId: 'cnc', name: 'Speed', address: 1, dataType: 'uint16' });

describe('commissioning draft', () => {
  it('starts from the saved device and its points', () => {
    const draft = initialDraft(device, [point]);
    expect(draft.form).toMatchObject({ id: 'cnc', host: '127.0.0.1', port: '1502' });
    expect(draft.rows.map((row) => row.address)).toEqual(['40002']);
    expect(initialDraft(undefined, []).form.id).toBe('');
  });

  it('tells unsaved changes apart from a fresh copy of the same thing', () => {
    const a = initialDraft(device, [point]);
    const b = initialDraft(device, [point]);
    expect(draftSnapshot(a)).toBe(draftSnapshot(b));
    expect(draftSnapshot({ ...a, form: { ...a.form, name: 'CNC 2' } })).not.toBe(draftSnapshot(b));
  });

  it('holds back "required" until the user tries to save', () => {
    const errors = { name: { key: 'form.required' as const }, port: { key: 'form.number' as const } };
    expect(visibleErrors(errors, false)).toEqual({ port: { key: 'form.number' } });
    expect(visibleErrors(errors, true)).toBe(errors);
    expect(visibleRowErrors({ a: { name: { key: 'form.required' } }, b: errors }, false)).toEqual({ b: { port: { key: 'form.number' } } });
  });
});
