// The workspace's unsaved state: the device form, the register map rows and the address style they
// are typed in. Pure helpers: what the workspace starts from, whether it differs from what is saved,
// and which problems to show before the user has tried to save.
import type { AddressStyle } from '../../../../shared/domain/address.ts';
import type { Device, Point } from '../../../../shared/domain/devices.ts';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { deviceToForm, newDeviceForm, type DeviceForm as DeviceFormValue } from '../device-editor/device-form.ts';
import { pointToDraft, type PointDraft } from '../register-map/point-draft.ts';

export interface Draft {
  form: DeviceFormValue;
  rows: PointDraft[];
  style: AddressStyle;
}

/** The workspace of a saved device with its points, or of a new device with an empty map. */
export function initialDraft(device: Device | undefined, points: readonly Point[], style: AddressStyle = 'modicon'): Draft {
  return {
    form: device ? deviceToForm(device) : newDeviceForm(),
    rows: points.map((point) => pointToDraft(point, style)),
    style,
  };
}

/** What is compared to tell unsaved changes: everything but row keys and the address style (a view choice). */
export function draftSnapshot(draft: Pick<Draft, 'form' | 'rows'>): string {
  return JSON.stringify({ form: draft.form, rows: draft.rows.map(({ key: _key, ...row }) => row) });
}

/** Problems to show: "required" waits until the user tries to save or test, so a new form does not start red. */
export function visibleErrors(errors: FieldErrors, attempted: boolean): FieldErrors {
  if (attempted) return errors;
  const shown: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) if (message.key !== 'form.required') shown[field] = message;
  return shown;
}

/** The same, for every row of the map. */
export function visibleRowErrors(errors: Record<string, FieldErrors>, attempted: boolean): Record<string, FieldErrors> {
  if (attempted) return errors;
  const shown: Record<string, FieldErrors> = {};
  for (const [key, rowErrors] of Object.entries(errors)) {
    const visible = visibleErrors(rowErrors, false);
    if (Object.keys(visible).length > 0) shown[key] = visible;
  }
  return shown;
}
