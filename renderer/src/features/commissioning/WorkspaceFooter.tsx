// The workspace's footer: delete on the left, what the last save said, close and save on the right.
import { useTranslation } from 'react-i18next';
import type { DeviceDraftState } from './use-device-draft.ts';

interface WorkspaceFooterProps {
  workspace: DeviceDraftState;
  savedDeviceId: string | null;
  onDelete(): void;
  onClose(): void;
}

export function WorkspaceFooter({ workspace, savedDeviceId, onDelete, onClose }: WorkspaceFooterProps) {
  const { t } = useTranslation();
  const { outcome, dirty, saving } = workspace;
  return (
    <>
      {savedDeviceId && (
        <button type="button" className="btn btn-danger" onClick={onDelete} data-testid="device-delete">
          {t('commission.delete')}
        </button>
      )}
      <span className="spacer" />
      {outcome && (
        <span className={`save-outcome save-outcome-${outcome.tone}`} role={outcome.tone === 'bad' ? 'alert' : 'status'} data-testid="save-outcome">
          {outcome.message}
        </span>
      )}
      {!outcome && dirty && <span className="save-outcome">{t('commission.unsaved')}</span>}
      <button type="button" className="btn" onClick={onClose} data-testid="device-close">
        {t('common.close')}
      </button>
      <button type="button" className="btn btn-primary" onClick={() => void workspace.save()} disabled={saving} data-testid="device-save">
        {saving && <span className="spinner spinner-small" aria-hidden="true" />}
        {t(savedDeviceId ? 'commission.save' : 'commission.create')}
      </button>
    </>
  );
}
