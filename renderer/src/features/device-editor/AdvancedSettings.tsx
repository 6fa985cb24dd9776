// Read planning and write function, folded away: most devices take the defaults; some refuse reads
// over unmapped registers, accept fewer registers per read, or only take FC16 writes.
import { useTranslation } from 'react-i18next';
import { WRITE_FUNCTIONS } from '../../../../shared/domain/devices.ts';
import { Field, TextInput } from '../../ui/Field.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import type { DeviceForm, WriteFunction } from './device-form.ts';

interface AdvancedSettingsProps {
  form: DeviceForm;
  onChange(patch: Partial<DeviceForm>): void;
  errors: FieldErrors;
}

const ADVANCED_FIELDS = ['maxGap', 'maxRegistersPerRead', 'maxBitsPerRead'] as const;

export function AdvancedSettings({ form, onChange, errors }: AdvancedSettingsProps) {
  const { t } = useTranslation();
  // Open by itself when one of its fields has a problem, so the problem is not hidden.
  const hasProblem = ADVANCED_FIELDS.some((field) => errors[field]);
  return (
    <details className="form-section advanced" open={hasProblem || undefined}>
      <summary className="form-section-title">{t('deviceForm.section.advanced')}</summary>
      <div className="form-row">
        <label className="check form-row-check">
          <input type="checkbox" checked={form.mergeReads} onChange={(event) => onChange({ mergeReads: event.target.checked })} />
          {t('deviceForm.mergeReads')}
        </label>
      </div>
      <p className="field-hint">{t('deviceForm.mergeReadsHint')}</p>
      <div className="form-row">
        <Field label={t('deviceForm.maxGap')} error={errors.maxGap} className="narrow">
          <TextInput value={form.maxGap} onChange={(maxGap) => onChange({ maxGap })} invalid={!!errors.maxGap} mono numeric disabled={!form.mergeReads} />
        </Field>
        <Field label={t('deviceForm.maxRegistersPerRead')} error={errors.maxRegistersPerRead} className="narrow">
          <TextInput value={form.maxRegistersPerRead} onChange={(maxRegistersPerRead) => onChange({ maxRegistersPerRead })} invalid={!!errors.maxRegistersPerRead} mono numeric />
        </Field>
        <Field label={t('deviceForm.maxBitsPerRead')} error={errors.maxBitsPerRead} className="narrow">
          <TextInput value={form.maxBitsPerRead} onChange={(maxBitsPerRead) => onChange({ maxBitsPerRead })} invalid={!!errors.maxBitsPerRead} mono numeric />
        </Field>
        <Field label={t('deviceForm.writeFunction')}>
          <select className="select" value={form.writeFunction} onChange={(event) => onChange({ writeFunction: event.target.value as WriteFunction })}>
            {WRITE_FUNCTIONS.map((fn) => (
              <option key={fn} value={fn}>
                {t(`deviceForm.writeFunction.${fn}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </details>
  );
}
