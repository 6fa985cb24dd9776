// The technician's workspace for one device (or a new one): its settings, its register map, its raw
// traffic and its health, in tabs over one unsaved draft; Save writes the device and its map
// together. Opened from the live screen, which it leaves as it was.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCommissioningStore, useDevicesStore, COMMISSIONING_TABS, type CommissioningTab, type EditingSession } from '../../store/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { DeleteDeviceDialog, DeviceForm, connectionToForm } from '../device-editor/index.ts';
import { DeviceHealth } from '../device-health/index.ts';
import { RegisterMapEditor } from '../register-map/index.ts';
import { TrafficView } from '../traffic/index.ts';
import { UnitScanDialog } from '../unit-scan/index.ts';
import { WorkspaceFooter } from './WorkspaceFooter.tsx';
import { useDeviceDraft } from './use-device-draft.ts';
import './commissioning.css';

/** Tabs that need the device saved first (they ask the core about it by id). */
const NEEDS_SAVED: ReadonlySet<CommissioningTab> = new Set(['traffic', 'health']);

export function CommissioningDialog() {
  const editing = useCommissioningStore((state) => state.editing);
  return editing ? <Workspace key={editing.session} editing={editing} /> : null;
}

function Workspace({ editing }: { editing: EditingSession }) {
  const { t } = useTranslation();
  const { setTab, close } = useCommissioningStore.getState();
  const workspace = useDeviceDraft(editing.deviceId, setTab);
  const { draft } = workspace;
  const [asking, setAsking] = useState<'discard' | 'delete' | 'scan' | null>(null);
  const deviceName = useDevicesStore((state) => state.devices.find((device) => device.id === editing.deviceId)?.name);
  const requestClose = () => (workspace.dirty ? setAsking('discard') : close());
  const title = editing.deviceId ? t('commission.title') : t('commission.titleNew');

  return (
    <Dialog title={title} subtitle={deviceName} size="full" onClose={requestClose} testId="device-editor" footer={
      <WorkspaceFooter workspace={workspace} savedDeviceId={editing.deviceId} onDelete={() => setAsking('delete')} onClose={requestClose} />
    }>
      <div className="tabs workspace-tabs" role="tablist">
        {COMMISSIONING_TABS.map((tab) => {
          const disabled = NEEDS_SAVED.has(tab) && !editing.deviceId;
          return (
            <button
              key={tab}
              type="button"
              role="tab"
              className="tab"
              aria-selected={editing.tab === tab}
              disabled={disabled}
              title={disabled ? t('commission.saveFirst') : undefined}
              onClick={() => setTab(tab)}
              data-testid={`tab-${tab}`}
            >
              {t(`commission.tab.${tab}`)}
              {tab === 'map' && <span className="tab-count">{draft.rows.length}</span>}
            </button>
          );
        })}
      </div>
      <div className="workspace-body" role="tabpanel">
        {editing.tab === 'connection' && (
          <DeviceForm form={draft.form} onChange={workspace.updateForm} errors={workspace.formErrors} onFindUnit={() => setAsking('scan')} buildDevice={workspace.buildDevice} />
        )}
        {editing.tab === 'map' && (
          <RegisterMapEditor
            rows={draft.rows}
            style={draft.style}
            errors={workspace.rowErrors}
            check={workspace.mapCheck}
            onRowsChange={workspace.updateRows}
            onStyleChange={workspace.setStyle}
            buildDevice={workspace.buildDevice}
            savedDeviceId={editing.deviceId}
            deviceName={draft.form.name}
            dirty={workspace.dirty}
            onImported={workspace.replaceRows}
          />
        )}
        {editing.tab === 'traffic' && editing.deviceId && <TrafficView deviceId={editing.deviceId} />}
        {editing.tab === 'health' && editing.deviceId && <DeviceHealth deviceId={editing.deviceId} />}
      </div>

      {asking === 'discard' && (
        <ConfirmDialog title={t('commission.discardTitle')} confirmLabel={t('commission.discard')} danger onConfirm={close} onCancel={() => setAsking(null)} testId="discard-dialog">
          <p>{t('commission.discardText')}</p>
        </ConfirmDialog>
      )}
      {asking === 'delete' && editing.deviceId && (
        <DeleteDeviceDialog
          deviceId={editing.deviceId}
          deviceName={draft.form.name}
          pointCount={draft.rows.length}
          onDeleted={close}
          onCancel={() => setAsking(null)}
        />
      )}
      {asking === 'scan' && (
        <UnitScanDialog
          connection={draft.form}
          onUse={(unitId, connection) => {
            workspace.updateForm({ unitId: String(unitId), ...connectionToForm(connection, draft.form) });
            setAsking(null);
          }}
          onClose={() => setAsking(null)}
        />
      )}
    </Dialog>
  );
}
