// Deleting a device asks first, and asks whether the history it collected stays (the default: a
// chart or report of last month should not lose its data because a meter was replaced).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Notice } from '../../ui/Notice.tsx';

interface DeleteDeviceDialogProps {
  deviceId: string;
  deviceName: string;
  pointCount: number;
  onDeleted(): void;
  onCancel(): void;
}

export function DeleteDeviceDialog({ deviceId, deviceName, pointCount, onDeleted, onCancel }: DeleteDeviceDialogProps) {
  const { t } = useTranslation();
  const [keepHistory, setKeepHistory] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await bridge.call('devices.delete', { deviceId, keepHistory });
      onDeleted();
    } catch (failure) {
      setError(callErrorMessage(failure, t('error.internal')));
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title={t('deleteDevice.title', { device: deviceName })}
      confirmLabel={t('deleteDevice.confirm')}
      danger
      busy={busy}
      onConfirm={() => void remove()}
      onCancel={onCancel}
      testId="device-delete-dialog"
    >
      <p>{t('deleteDevice.what', { device: deviceName, count: pointCount })}</p>
      <fieldset className="choice-list">
        <legend className="field-label">{t('deleteDevice.history')}</legend>
        <label className="check">
          <input type="radio" name="keep-history" checked={keepHistory} onChange={() => setKeepHistory(true)} />
          {t('deleteDevice.keepHistory')}
        </label>
        <label className="check">
          <input type="radio" name="keep-history" checked={!keepHistory} onChange={() => setKeepHistory(false)} data-testid="delete-history" />
          {t('deleteDevice.dropHistory')}
        </label>
      </fieldset>
      {error && <Notice tone="bad">{error}</Notice>}
    </ConfirmDialog>
  );
}
