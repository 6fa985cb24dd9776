// What a unit-id scan asks: on which connection, which unit ids, how long to wait for each, with
// which read, and on a serial bus at which baud rates.
import { useTranslation } from 'react-i18next';
import { FUNCTIONS, type PointFunction } from '../../../../shared/domain/devices.ts';
import { Field, TextInput } from '../../ui/Field.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { ConnectionFields } from '../device-editor/ConnectionFields.tsx';
import { SCAN_BAUD_RATES, type ScanForm } from './unit-scan.ts';

interface ScanSettingsProps {
  form: ScanForm;
  onChange(patch: Partial<ScanForm>): void;
  errors: FieldErrors;
  disabled: boolean;
}

export function ScanSettings({ form, onChange, errors, disabled }: ScanSettingsProps) {
  const { t } = useTranslation();
  const toggleBaud = (baud: number, on: boolean) =>
    onChange({ baudRates: on ? [...form.baudRates, baud] : form.baudRates.filter((other) => other !== baud) });
  return (
    <fieldset className="scan-settings" disabled={disabled}>
      <ConnectionFields value={form.connection} onChange={(patch) => onChange({ connection: { ...form.connection, ...patch } })} errors={errors} testIdPrefix="scan" />
      <div className="form-row">
        <Field label={t('scan.fromUnit')} error={errors.fromUnit} className="narrow">
          <TextInput value={form.fromUnit} onChange={(fromUnit) => onChange({ fromUnit })} invalid={!!errors.fromUnit} mono numeric testId="scan-from" />
        </Field>
        <Field label={t('scan.toUnit')} error={errors.toUnit} className="narrow">
          <TextInput value={form.toUnit} onChange={(toUnit) => onChange({ toUnit })} invalid={!!errors.toUnit} mono numeric testId="scan-to" />
        </Field>
        <Field label={t('scan.timeoutMs')} error={errors.timeoutMs} className="narrow">
          <TextInput value={form.timeoutMs} onChange={(timeoutMs) => onChange({ timeoutMs })} invalid={!!errors.timeoutMs} mono numeric testId="scan-timeout" />
        </Field>
        <Field label={t('scan.probeFunction')}>
          <select className="select" value={form.probeFunction} onChange={(event) => onChange({ probeFunction: event.target.value as PointFunction })}>
            {FUNCTIONS.map((fn) => (
              <option key={fn} value={fn}>
                {t(`mapEditor.function.${fn}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('scan.probeAddress')} error={errors.probeAddress} className="narrow">
          <TextInput value={form.probeAddress} onChange={(probeAddress) => onChange({ probeAddress })} invalid={!!errors.probeAddress} mono numeric />
        </Field>
      </div>
      {form.connection.kind === 'rtu' && (
        <Field label={t('scan.baudRates')} error={errors.baudRates}>
          <span className="scan-bauds">
            {SCAN_BAUD_RATES.map((baud) => (
              <label key={baud} className="check">
                <input type="checkbox" checked={form.baudRates.includes(baud)} onChange={(event) => toggleBaud(baud, event.target.checked)} data-testid={`scan-baud-${baud}`} />
                {baud}
              </label>
            ))}
          </span>
        </Field>
      )}
    </fieldset>
  );
}
