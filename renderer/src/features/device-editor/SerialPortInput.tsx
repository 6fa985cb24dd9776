// A serial port: picked from the ports this PC has (serial.listPorts), or typed (COM3, /dev/ttyUSB0)
// for an adapter that is not plugged in yet.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import { bridge } from '../../api/index.ts';
import { TextInput } from '../../ui/Field.tsx';

type SerialPort = CallOutput<'serial.listPorts'>[number];

interface SerialPortInputProps {
  value: string;
  onChange(path: string): void;
  invalid: boolean;
  testId: string;
}

export function SerialPortInput({ value, onChange, invalid, testId }: SerialPortInputProps) {
  const { t } = useTranslation();
  const listId = useId();
  const [ports, setPorts] = useState<SerialPort[] | null>(null);
  const [loading, setLoading] = useState(false);
  const refresh = () => {
    setLoading(true);
    bridge
      .call('serial.listPorts', {})
      .then(setPorts, () => setPorts([]))
      .finally(() => setLoading(false));
  };
  useEffect(refresh, []);
  return (
    <span className="serial-port">
      <TextInput value={value} onChange={onChange} invalid={invalid} mono placeholder="COM3, /dev/ttyUSB0" list={listId} testId={testId} />
      <datalist id={listId}>
        {(ports ?? []).map((port) => (
          <option key={port.path} value={port.path}>
            {[port.manufacturer, port.serialNumber].filter(Boolean).join(' · ')}
          </option>
        ))}
      </datalist>
      <button type="button" className="btn btn-small" onClick={refresh} disabled={loading} title={t('deviceForm.refreshPorts')}>
        {t('deviceForm.refreshPorts')}
      </button>
      {ports && (
        <span className="field-hint serial-port-count">
          {ports.length === 0 ? t('deviceForm.noPorts') : t('deviceForm.portsFound', { ports: ports.map((port) => port.path).join(', ') })}
        </span>
      )}
    </span>
  );
}
