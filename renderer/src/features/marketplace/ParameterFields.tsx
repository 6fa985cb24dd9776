// The install form's fields, one per manifest parameter: a text or number box, a tick box, or a list
// when the manifest names the choices; required ones marked, each problem under its field.
import { useTranslation } from 'react-i18next';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { Field, TextInput } from '../../ui/Field.tsx';
import { localised } from './money.ts';
import type { ManifestParameter, ParameterDraft } from './parameter-form.ts';

interface ParameterFieldsProps {
  parameters: readonly ManifestParameter[];
  draft: ParameterDraft;
  errors: FieldErrors;
  onChange(draft: ParameterDraft): void;
}

export function ParameterFields({ parameters, draft, errors, onChange }: ParameterFieldsProps) {
  const { t, i18n } = useTranslation();
  return (
    <div className="market-parameters">
      {parameters.map((parameter) => {
        const label = (
          <>
            {localised(parameter.label, i18n.language)}
            {parameter.required && (
              <span className="market-required" title={t('store.param.requiredMark')}>
                {' *'}
              </span>
            )}
          </>
        );
        const value = draft[parameter.id];
        const set = (next: string | boolean) => onChange({ ...draft, [parameter.id]: next });
        if (parameter.type === 'boolean' && !parameter.choices) {
          return (
            <label key={parameter.id} className="check market-parameter-check">
              <input type="checkbox" checked={value === true} onChange={(event) => set(event.target.checked)} data-testid={`param-${parameter.id}`} />
              {label}
            </label>
          );
        }
        return (
          <Field key={parameter.id} label={label} error={errors[parameter.id]}>
            {parameter.choices ? (
              <select
                className="select"
                value={typeof value === 'string' ? value : ''}
                onChange={(event) => set(event.target.value)}
                aria-invalid={errors[parameter.id] ? 'true' : undefined}
                data-testid={`param-${parameter.id}`}
              >
                {(!parameter.required || value === '') && <option value="">{t('store.param.none')}</option>}
                {parameter.choices.map((choice, index) => (
                  <option key={index} value={String(index)}>
                    {localised(choice.label, i18n.language)}
                  </option>
                ))}
              </select>
            ) : (
              <TextInput
                value={typeof value === 'string' ? value : ''}
                onChange={set}
                invalid={Boolean(errors[parameter.id])}
                numeric={parameter.type === 'number' || parameter.type === 'integer'}
                mono={parameter.type !== 'string'}
                testId={`param-${parameter.id}`}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
