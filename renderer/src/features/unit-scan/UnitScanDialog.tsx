// "Find unit id": asks every unit id in a range on the device's connection (or one typed here), at
// several baud rates on a serial bus, and lists who answered; "Use this unit id" fills the editor.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanProgress } from '../../../../shared/contract/device-calls.ts';
import type { Connection } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { pickConnection, type ConnectionForm } from '../device-editor/device-form.ts';
import { ScanResults } from './ScanResults.tsx';
import { ScanSettings } from './ScanSettings.tsx';
import { laterProgress, SCAN_BAUD_RATES, scanPercent, scanRequest, type ScanForm, type ScanRequest } from './unit-scan.ts';
import './unit-scan.css';

interface UnitScanDialogProps {
  connection: ConnectionForm;
  onUse(unitId: number, connection: Connection): void;
  onClose(): void;
}

export function UnitScanDialog({ connection, onUse, onClose }: UnitScanDialogProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<ScanForm>(() => ({
    connection: pickConnection(connection),
    fromUnit: '1',
    toUnit: '247',
    timeoutMs: '200',
    probeFunction: 'holding',
    probeAddress: '0',
    baudRates: SCAN_BAUD_RATES.filter((baud) => String(baud) === connection.baudRate).length > 0 ? [Number(connection.baudRate)] : [9600],
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [scan, setScan] = useState<{ id: string; request: ScanRequest } | null>(null);
  const [progress, setProgress] = useState<ScanProgress | undefined>();
  const [error, setError] = useState<string | null>(null);
  // Events can arrive before devices.scanUnits answers with the scan's id: keep them all by id.
  const seen = useRef(new Map<string, ScanProgress>());
  const scanId = useRef<string | null>(null);

  useEffect(() => {
    const stop = bridge.on('commissioning.scanProgressed', (event) => {
      const latest = laterProgress(seen.current.get(event.scanId), event);
      seen.current.set(event.scanId, latest);
      if (event.scanId === scanId.current) setProgress(latest);
    });
    return () => {
      stop();
      // Closing the dialog stops a scan that is still running.
      if (scanId.current && !seen.current.get(scanId.current)?.finished) void bridge.call('devices.cancelScan', { scanId: scanId.current }).catch(() => {});
    };
  }, []);

  const running = scan !== null && !progress?.finished;
  const set = (patch: Partial<ScanForm>) => setForm((current) => ({ ...current, ...patch }));

  const start = async () => {
    const checked = scanRequest(form);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) return;
    setError(null);
    setProgress(undefined);
    try {
      const { scanId: id } = await bridge.call('devices.scanUnits', checked.request);
      scanId.current = id;
      setScan({ id, request: checked.request });
      setProgress(seen.current.get(id));
    } catch (failure) {
      setError(callErrorMessage(failure, t('error.internal')));
    }
  };
  const cancel = async () => {
    if (!scan) return;
    try {
      await bridge.call('devices.cancelScan', { scanId: scan.id });
    } catch {
      // it finished meanwhile
    }
    setProgress((current) => (current ? { ...current, finished: true } : { scanId: scan.id, done: 0, total: 0, found: [], finished: true, error: null }));
  };

  return (
    <Dialog
      title={t('scan.title')}
      size="large"
      onClose={onClose}
      testId="scan-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.close')}
          </button>
          {running ? (
            <button type="button" className="btn btn-danger" onClick={() => void cancel()} data-testid="scan-cancel">
              {t('scan.stop')}
            </button>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => void start()} data-testid="scan-start">
              {t(scan ? 'scan.again' : 'scan.start')}
            </button>
          )}
        </>
      }
    >
      <p className="field-hint">{t('scan.help')}</p>
      <ScanSettings form={form} onChange={set} errors={errors} disabled={running} />
      {error && <Notice tone="bad">{error}</Notice>}
      {scan && (
        <div className="scan-progress" data-testid="scan-progress" data-finished={progress?.finished ? 'true' : 'false'}>
          <div className="scan-progress-head">
            <span>
              {progress?.finished
                ? progress.error || progress.done < progress.total
                  ? t('scan.stopped', { done: progress.done, total: progress.total, count: progress.found.length })
                  : t('scan.finished', { count: progress.found.length })
                : t('scan.running', { done: progress?.done ?? 0, total: progress?.total ?? '…' })}
            </span>
            <span className="mono">{scanPercent(progress)} %</span>
          </div>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={scanPercent(progress)}>
            <div className="progress-bar" style={{ width: `${scanPercent(progress)}%` }} />
          </div>
          {progress?.error && <Notice tone="bad">{progress.error}</Notice>}
          <ScanResults found={progress?.found ?? []} serial={scan.request.connection.kind === 'rtu'} onUse={(unitId, baudRate) => {
            const used = scan.request.connection;
            onUse(unitId, used.kind === 'rtu' && baudRate !== null ? { ...used, baudRate } : used);
          }} />
        </div>
      )}
    </Dialog>
  );
}
