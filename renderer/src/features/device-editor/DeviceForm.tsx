// The device's settings: name, how to reach it, its unit id and patience (timeout, retries), and the
// advanced read planning a few devices need. "Test connection" tries the settings as they are.
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../shared/domain/devices.ts';
import { Field, TextInput } from '../../ui/Field.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { AdvancedSettings } from './AdvancedSettings.tsx';
import { ConnectionFields } from './ConnectionFields.tsx';
import type { DeviceForm as DeviceFormValue } from './device-form.ts';
import { TestConnection } from './TestConnection.tsx';
import './device-editor.css';

interface DeviceFormProps {
  form: DeviceFormValue;
  onChange(patch: Partial<DeviceFormValue>): void;
  errors: FieldErrors;
  onFindUnit(): void;
  buildDevice(): Device | null;
}

export function DeviceForm({ form, onChange, errors, onFindUnit, buildDevice }: DeviceFormProps) {
  const { t } = useTranslation();
  return (
    <div className="device-form">
      <section className="form-section">
        <h3 className="form-section-title">{t('deviceForm.section.device')}</h3>
        <div className="form-row">
          <Field label={t('deviceForm.name')} error={errors.name} className="grow">
            <TextInput value={form.name} onChange={(name) => onChange({ name })} invalid={!!errors.name} placeholder={t('deviceForm.namePlaceholder')} testId="device-name" autoFocus={!form.id} />
          </Field>
          <label className="check form-row-check">
            <input type="checkbox" checked={form.enabled} onChange={(event) => onChange({ enabled: event.target.checked })} data-testid="device-enabled" />
            {t('deviceForm.enabled')}
          </label>
        </div>
        {form.id && <p className="field-hint">{t('deviceForm.idHint', { id: form.id })}</p>}
      </section>

      <section className="form-section">
        <h3 className="form-section-title">{t('deviceForm.section.connection')}</h3>
        <ConnectionFields value={form} onChange={onChange} errors={errors} testIdPrefix="device" />
      </section>

      <section className="form-section">
        <h3 className="form-section-title">{t('deviceForm.section.modbus')}</h3>
        <div className="form-row">
          <Field label={t('deviceForm.unitId')} error={errors.unitId} hint={t('deviceForm.unitIdHint')} className="narrow unit-field">
            <span className="input-with-button">
              <TextInput value={form.unitId} onChange={(unitId) => onChange({ unitId })} invalid={!!errors.unitId} mono numeric testId="device-unit" />
              <button type="button" className="btn btn-small" onClick={onFindUnit} data-testid="scan-open">
                {t('scan.open')}
              </button>
            </span>
          </Field>
          <Field label={t('deviceForm.timeoutMs')} error={errors.timeoutMs} className="narrow">
            <TextInput value={form.timeoutMs} onChange={(timeoutMs) => onChange({ timeoutMs })} invalid={!!errors.timeoutMs} mono numeric testId="device-timeout" />
          </Field>
          <Field label={t('deviceForm.retries')} error={errors.retries} className="narrow">
            <TextInput value={form.retries} onChange={(retries) => onChange({ retries })} invalid={!!errors.retries} mono numeric testId="device-retries" />
          </Field>
        </div>
        <TestConnection buildDevice={buildDevice} />
      </section>

      <AdvancedSettings form={form} onChange={onChange} errors={errors} />
    </div>
  );
}
