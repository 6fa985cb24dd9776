// The units that answered a scan: unit id, baud rate on a serial bus, and whether it answered with a
// Modbus exception (it is there; the probe address is not in its map).
import { useTranslation } from 'react-i18next';
import type { ScanProgress } from '../../../../shared/contract/device-calls.ts';

interface ScanResultsProps {
  found: ScanProgress['found'];
  serial: boolean;
  onUse(unitId: number, baudRate: number | null): void;
}

export function ScanResults({ found, serial, onUse }: ScanResultsProps) {
  const { t } = useTranslation();
  if (found.length === 0) return <p className="muted scan-none">{t('scan.noneYet')}</p>;
  return (
    <table className="data-table scan-results" data-testid="scan-results">
      <thead>
        <tr>
          <th>{t('scan.unit')}</th>
          {serial && <th>{t('deviceForm.baudRate')}</th>}
          <th>{t('scan.answer')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {found.map((unit) => (
          <tr key={`${unit.unitId}-${unit.baudRate ?? ''}`} data-testid={`scan-found-${unit.unitId}`}>
            <td className="mono scan-unit">{unit.unitId}</td>
            {serial && <td className="mono">{unit.baudRate ?? '—'}</td>}
            <td>{unit.exception ? <span className="scan-exception">{t('scan.answeredException', { reason: unit.exception })}</span> : t('scan.answeredOk')}</td>
            <td className="scan-use">
              <button type="button" className="btn btn-small" onClick={() => onUse(unit.unitId, unit.baudRate)} data-testid={`scan-use-${unit.unitId}`}>
                {t('scan.use')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
