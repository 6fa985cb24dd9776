// The commissioning workspace's state and actions: the draft (device form, register map rows,
// address style), its checks, and saving it with devices.save. One hook, so the tabs share one draft.
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressStyle } from '../../../../shared/domain/address.ts';
import type { Device, Point } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { reloadDevicesAndPoints } from '../../app/live-data.ts';
import { formatClock } from '../../format/format-time.ts';
import { useCommissioningStore, useDevicesStore, usePointsStore, type CommissioningTab } from '../../store/index.ts';
import { deviceToForm, formToDevice, type DeviceFormValue } from '../device-editor/index.ts';
import { newDeviceId } from '../device-editor/device-form.ts';
import { checkMap, pointToDraft, restyle, type PointDraft } from '../register-map/index.ts';
import { draftSnapshot, initialDraft, visibleErrors, visibleRowErrors, type Draft } from './commissioning-draft.ts';

export interface SaveOutcome {
  tone: 'good' | 'bad';
  message: string;
}

export function useDeviceDraft(deviceId: string | null, showTab: (tab: CommissioningTab) => void) {
  const { t, i18n } = useTranslation();
  const devices = useDevicesStore((state) => state.devices);
  const [draft, setDraft] = useState<Draft>(() => {
    const device = useDevicesStore.getState().devices.find((candidate) => candidate.id === deviceId);
    const points = usePointsStore.getState().points.filter((point) => point.deviceId === deviceId);
    return initialDraft(device, deviceId ? points : []);
  });
  const [baseline, setBaseline] = useState(draft);
  const [attempted, setAttempted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);

  const takenIds = useMemo(() => devices.map((device) => device.id).filter((id) => id !== draft.form.id), [devices, draft.form.id]);
  const deviceCheck = useMemo(() => formToDevice(draft.form, takenIds), [draft.form, takenIds]);
  const pointsDeviceId = draft.form.id || newDeviceId(draft.form.name, takenIds);
  const mapCheck = useMemo(() => checkMap(draft.rows, pointsDeviceId, draft.style), [draft.rows, pointsDeviceId, draft.style]);
  const dirty = useMemo(() => draftSnapshot(draft) !== draftSnapshot(baseline), [draft, baseline]);

  const updateForm = useCallback((patch: Partial<DeviceFormValue>) => {
    setOutcome(null);
    setDraft((current) => ({ ...current, form: { ...current.form, ...patch } }));
  }, []);
  const updateRows = useCallback((update: (rows: PointDraft[]) => PointDraft[]) => {
    setOutcome(null);
    setDraft((current) => ({ ...current, rows: update(current.rows) }));
  }, []);
  const setStyle = (style: AddressStyle) =>
    setDraft((current) => ({ ...current, style, rows: restyle(current.rows, current.style, style) }));

  /** The device as on screen, or null (and its problems shown) when a field is wrong. */
  const buildDevice = (): Device | null => {
    if (deviceCheck.ok) return deviceCheck.value;
    setAttempted(true);
    return null;
  };

  /** The register map as read from a file on the core: it is saved there already. */
  const replaceRows = (points: readonly Point[]) => {
    const rows = points.map((point) => pointToDraft(point, draft.style));
    setDraft((current) => ({ ...current, rows }));
    setBaseline((current) => ({ ...current, rows }));
  };

  const save = async (): Promise<void> => {
    setAttempted(true);
    setOutcome(null);
    if (!deviceCheck.ok) {
      showTab('connection');
      setOutcome({ tone: 'bad', message: t('commission.fixDevice', { count: Object.keys(deviceCheck.errors).length }) });
      return;
    }
    if (!mapCheck.points) {
      showTab('map');
      setOutcome({ tone: 'bad', message: t('commission.fixMap', { count: mapCheck.problemCount }) });
      return;
    }
    setSaving(true);
    try {
      const saved = await bridge.call('devices.save', { device: deviceCheck.value, points: mapCheck.points });
      const next: Draft = { ...draft, form: deviceToForm(saved), rows: draft.rows.map((row) => ({ ...row, id: mapCheck.ids[row.key] ?? row.id })) };
      setDraft(next);
      setBaseline(next);
      setAttempted(false);
      if (!deviceId) useCommissioningStore.getState().saved(saved.id);
      await reloadDevicesAndPoints();
      useDevicesStore.getState().select(saved.id);
      setOutcome({ tone: 'good', message: t('commission.saved', { device: saved.name, time: formatClock(Date.now(), i18n.language) }) });
    } catch (error) {
      setOutcome({ tone: 'bad', message: callErrorMessage(error, t('error.internal')) });
    } finally {
      setSaving(false);
    }
  };

  return {
    draft,
    dirty,
    saving,
    outcome,
    deviceCheck,
    mapCheck,
    formErrors: visibleErrors(deviceCheck.errors, attempted),
    rowErrors: visibleRowErrors(mapCheck.errors, attempted),
    updateForm,
    updateRows,
    setStyle,
    buildDevice,
    replaceRows,
    save,
  };
}

export type DeviceDraftState = ReturnType<typeof useDeviceDraft>;
