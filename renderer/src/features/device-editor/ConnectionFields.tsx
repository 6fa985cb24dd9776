// How to reach a device: Modbus TCP or an RTU-over-TCP gateway (host and port), or a serial port with
// its framing. Used by the device editor and by the unit-id scan.
import { useTranslation } from 'react-i18next';
import { Field, TextInput } from '../../ui/Field.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { BAUD_RATES, type ConnectionForm, type ConnectionKind, type Parity } from './device-form.ts';
import { SerialPortInput } from './SerialPortInput.tsx';

const KINDS: readonly ConnectionKind[] = ['tcp', 'rtuOverTcp', 'rtu'];
const PARITIES: readonly Parity[] = ['none', 'even', 'odd'];

interface ConnectionFieldsProps {
  value: ConnectionForm;
  onChange(patch: Partial<ConnectionForm>): void;
  errors: FieldErrors;
  /** Distinguishes the test ids of the editor's fields from the scan dialog's. */
  testIdPrefix: string;
}

export function ConnectionFields({ value, onChange, errors, testIdPrefix }: ConnectionFieldsProps) {
  const { t } = useTranslation();
  const bauds = BAUD_RATES.map(String).includes(value.baudRate) || value.baudRate === '' ? BAUD_RATES.map(String) : [...BAUD_RATES.map(String), value.baudRate];
  return (
    <div className="connection-fields">
      <div className="segmented" role="radiogroup" aria-label={t('deviceForm.kind')}>
        {KINDS.map((kind) => (
          <label key={kind} className={`segment${value.kind === kind ? ' is-active' : ''}`}>
            <input
              type="radio"
              name={`${testIdPrefix}-kind`}
              value={kind}
              checked={value.kind === kind}
              onChange={() => onChange({ kind })}
              data-testid={`${testIdPrefix}-kind-${kind}`}
            />
            <span className="segment-title">{t(`devices.kind.${kind}`)}</span>
            <span className="segment-hint">{t(`deviceForm.kindHint.${kind}`)}</span>
          </label>
        ))}
      </div>
      {value.kind === 'rtu' ? (
        <div className="form-row">
          <Field label={t('deviceForm.serialPort')} error={errors['connection.path']} className="grow">
            <SerialPortInput value={value.path} onChange={(path) => onChange({ path })} invalid={!!errors['connection.path']} testId={`${testIdPrefix}-path`} />
          </Field>
          <Field label={t('deviceForm.baudRate')} error={errors['connection.baudRate']}>
            <select className="select" value={value.baudRate} onChange={(event) => onChange({ baudRate: event.target.value })} data-testid={`${testIdPrefix}-baud`}>
              {bauds.map((baud) => (
                <option key={baud} value={baud}>
                  {baud}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('deviceForm.parity')}>
            <select className="select" value={value.parity} onChange={(event) => onChange({ parity: event.target.value as Parity })}>
              {PARITIES.map((parity) => (
                <option key={parity} value={parity}>
                  {t(`deviceForm.parity.${parity}`)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('deviceForm.dataBits')}>
            <select className="select" value={value.dataBits} onChange={(event) => onChange({ dataBits: event.target.value as '7' | '8' })}>
              <option value="8">8</option>
              <option value="7">7</option>
            </select>
          </Field>
          <Field label={t('deviceForm.stopBits')}>
            <select className="select" value={value.stopBits} onChange={(event) => onChange({ stopBits: event.target.value as '1' | '2' })}>
              <option value="1">1</option>
              <option value="2">2</option>
            </select>
          </Field>
        </div>
      ) : (
        <div className="form-row">
          <Field
            label={t(value.kind === 'rtuOverTcp' ? 'deviceForm.gatewayHost' : 'deviceForm.host')}
            error={errors['connection.host']}
            className="grow"
          >
            <TextInput
              value={value.host}
              onChange={(host) => onChange({ host })}
              invalid={!!errors['connection.host']}
              mono
              placeholder="192.168.1.20"
              testId={`${testIdPrefix}-host`}
            />
          </Field>
          <Field label={t('deviceForm.port')} error={errors['connection.port']} className="narrow">
            <TextInput value={value.port} onChange={(port) => onChange({ port })} invalid={!!errors['connection.port']} mono numeric testId={`${testIdPrefix}-port`} />
          </Field>
        </div>
      )}
    </div>
  );
}
