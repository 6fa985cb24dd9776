// Importing a register map from CSV or Excel: the file is checked first (points.importMap, mode
// 'check') and every problem is listed by row and column; then the whole file is imported when it is
// clean, or only its good rows when the technician chooses so. Importing replaces the device's map.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import { ADDRESS_STYLES, type AddressStyle } from '../../../../shared/domain/address.ts';
import type { Point } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { ImportCheck } from './ImportCheck.tsx';
import { isMapFileName, MAP_FILE_ACCEPT, summariseCheck } from './map-files.ts';
import { readFileAsBase64 } from './save-file.ts';

type ImportResult = CallOutput<'points.importMap'>;

interface ImportMapDialogProps {
  deviceId: string;
  deviceName: string;
  pointCount: number;
  initialStyle: AddressStyle;
  onImported(points: readonly Point[]): void;
  onClose(): void;
}

interface ChosenFile {
  name: string;
  contentBase64: string;
}

export function ImportMapDialog({ deviceId, deviceName, pointCount, initialStyle, onImported, onClose }: ImportMapDialogProps) {
  const { t } = useTranslation();
  const [style, setStyle] = useState<AddressStyle>(initialStyle);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [check, setCheck] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [imported, setImported] = useState<number | null>(null);

  const call = async (chosen: ChosenFile, addressStyle: AddressStyle, mode: 'check' | 'import' | 'importGoodRows') => {
    setBusy(true);
    setError(null);
    try {
      const result = await bridge.call('points.importMap', { deviceId, fileName: chosen.name, contentBase64: chosen.contentBase64, addressStyle, mode });
      if (mode === 'check') setCheck(result);
      else if (result.imported > 0) {
        setImported(result.imported);
        onImported(result.points);
      } else setCheck(result);
    } catch (failure) {
      setError(callErrorMessage(failure, t('error.internal')));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (picked: File | undefined) => {
    setCheck(null);
    setImported(null);
    if (!picked) return;
    if (!isMapFileName(picked.name)) {
      setFile(null);
      setError(t('import.wrongType', { file: picked.name }));
      return;
    }
    const chosen = { name: picked.name, contentBase64: await readFileAsBase64(picked) };
    setFile(chosen);
    await call(chosen, style, 'check');
  };

  const summary = check ? summariseCheck(check) : null;
  return (
    <Dialog
      title={t('import.title')}
      subtitle={deviceName}
      size="large"
      onClose={onClose}
      testId="import-dialog"
      footer={
        imported !== null ? (
          <button type="button" className="btn btn-primary" onClick={onClose} data-testid="import-close">
            {t('common.close')}
          </button>
        ) : (
          <>
            <button type="button" className="btn" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy || !file || !summary || summary.clean || summary.goodRows === 0}
              onClick={() => file && void call(file, style, 'importGoodRows')}
              data-testid="import-good-rows"
            >
              {t('import.goodRows', { count: summary?.goodRows ?? 0 })}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || !file || !summary?.clean}
              onClick={() => file && void call(file, style, 'import')}
              data-testid="import-run"
            >
              {t('import.run')}
            </button>
          </>
        )
      }
    >
      <div className="form-row">
        <div className="field grow">
          <span className="field-label">{t('import.file')}</span>
          <span className="file-pick">
            <label className="btn">
              <input
                type="file"
                accept={MAP_FILE_ACCEPT}
                className="visually-hidden"
                onChange={(event) => {
                  void choose(event.target.files?.[0]);
                  event.target.value = '';
                }}
                data-testid="import-file"
              />
              {t('import.choose')}
            </label>
            <span className={file ? 'file-name' : 'muted'}>{file?.name ?? t('import.noFile')}</span>
          </span>
        </div>
        <Field label={t('mapEditor.addressStyle')}>
          <select
            className="select"
            value={style}
            onChange={(event) => {
              const next = event.target.value as AddressStyle;
              setStyle(next);
              if (file) void call(file, next, 'check');
            }}
            data-testid="import-style"
          >
            {ADDRESS_STYLES.map((option) => (
              <option key={option} value={option}>
                {t(`mapEditor.style.${option}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p className="field-hint">{t('import.help')}</p>
      {pointCount > 0 && imported === null && <Notice tone="warn">{t('import.replaces', { device: deviceName, count: pointCount })}</Notice>}
      {busy && (
        <p className="muted import-busy">
          <span className="spinner spinner-small" aria-hidden="true" /> {t('import.checking')}
        </p>
      )}
      {error && <Notice tone="bad">{error}</Notice>}
      {imported !== null && (
        <Notice tone="good" testId="import-done">
          {t('import.done', { count: imported, device: deviceName })}
        </Notice>
      )}
      {check && imported === null && <ImportCheck check={check} />}
    </Dialog>
  );
}
