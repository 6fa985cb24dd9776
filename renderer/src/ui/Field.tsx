// A labelled form control with its problem underneath, in the UI language.
import type { ReactNode } from 'react';
import { useMessage } from '../app/use-message.ts';
import type { FieldMessage } from '../validation/schema-errors.ts';

interface FieldProps {
  label: ReactNode;
  error?: FieldMessage | undefined;
  hint?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Field({ label, error, hint, className, children }: FieldProps) {
  const say = useMessage();
  return (
    <label className={`field${className ? ` ${className}` : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? (
        <span className="field-error" role="alert">
          {say(error)}
        </span>
      ) : (
        hint && <span className="field-hint">{hint}</span>
      )}
    </label>
  );
}

interface TextInputProps {
  value: string;
  onChange(value: string): void;
  invalid?: boolean;
  mono?: boolean;
  numeric?: boolean;
  placeholder?: string;
  disabled?: boolean;
  testId?: string;
  list?: string;
  ariaLabel?: string;
  className?: string;
  /** Takes the focus when its dialog opens. */
  autoFocus?: boolean;
}

/** A one-line text input; numbers are typed as text and parsed by the form. */
export function TextInput({ value, onChange, invalid, mono, numeric, placeholder, disabled, testId, list, ariaLabel, className, autoFocus }: TextInputProps) {
  return (
    <input
      type="text"
      className={`input${mono ? ' mono' : ''}${className ? ` ${className}` : ''}`}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={invalid ? 'true' : undefined}
      aria-label={ariaLabel}
      inputMode={numeric ? 'decimal' : undefined}
      placeholder={placeholder}
      disabled={disabled}
      data-testid={testId}
      list={list}
      data-autofocus={autoFocus ? '' : undefined}
      spellCheck={false}
      autoComplete="off"
    />
  );
}
