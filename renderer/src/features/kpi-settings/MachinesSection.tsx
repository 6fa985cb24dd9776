// The machines the KPIs are computed for: which point tells the state and which of its values mean
// running, idle or alarm, the part counter and a scrap or good counter, the ideal cycle time, the
// micro-stop limit and a meter — points picked from the devices' points (points.list). The stop
// reasons and the plant meter are kept as they are.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MachineSettings } from '../../../../shared/domain/machines.ts';
import type { Point } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { useDevicesStore, usePointsStore } from '../../store/index.ts';
import { Notice } from '../../ui/Notice.tsx';
import { formToMachine, machineToForm, newMachineForm, removeAt, replaceAt, type MachineField, type MachineForm, type MachineProblems } from './production-form.ts';
import { useSettingDocument } from './use-setting-document.ts';

export function MachinesSection() {
  const { t } = useTranslation();
  const points = usePointsStore((state) => state.points);
  const devices = useDevicesStore((state) => state.devices);
  const { draft, change, save, outcome, setOutcome, busy } = useSettingDocument<MachineSettings>(
    () => bridge.call('kpis.machines', {}),
    (settings) => bridge.call('kpis.setMachines', settings),
  );
  const [forms, setForms] = useState<MachineForm[] | null>(null);
  const [problems, setProblems] = useState<MachineProblems[]>([]);
  const shown = forms ?? draft?.machines.map(machineToForm) ?? null;
  if (!draft || !shown) return outcome ? <Notice tone="bad">{outcome.text}</Notice> : <p className="muted">{t('widget.loading')}</p>;

  const edit = (index: number, field: MachineField, value: string) => {
    setForms(replaceAt(shown, index, { ...shown[index]!, [field]: value }));
    setOutcome(null);
  };
  const submit = () => {
    const results = shown.map(formToMachine);
    setProblems(results.map((result) => (result.ok ? {} : result.problems)));
    if (results.some((result) => !result.ok)) {
      setOutcome({ tone: 'bad', text: t('production.fixFields') });
      return;
    }
    const next = { ...draft, machines: results.flatMap((result) => (result.ok ? [result.machine] : [])) };
    change(next);
    setForms(null);
    void save(next);
  };

  return (
    <section className="production-section" data-testid="machines-section">
      <h3>{t('production.machines')}</h3>
      {shown.map((form, index) => (
        <MachineCard
          key={index}
          form={form}
          problems={problems[index] ?? {}}
          points={points}
          devices={devices.map((device) => ({ id: device.id, name: device.name }))}
          onChange={(field, value) => edit(index, field, value)}
          onRemove={() => setForms(removeAt(shown, index))}
        />
      ))}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => setForms([...shown, newMachineForm(shown.map((form) => form.id), devices[0]?.id ?? '', t('production.newMachine'))])}
      >
        {t('production.addMachine')}
      </button>
      <div className="production-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={submit} data-testid="machines-save">
          {t('production.saveMachines')}
        </button>
        {outcome && (
          <Notice tone={outcome.tone} testId="machines-outcome">
            {outcome.text}
          </Notice>
        )}
      </div>
    </section>
  );
}

interface MachineCardProps {
  form: MachineForm;
  problems: MachineProblems;
  points: readonly Point[];
  devices: readonly { id: string; name: string }[];
  onChange(field: MachineField, value: string): void;
  onRemove(): void;
}

function MachineCard({ form, problems, points, devices, onChange, onRemove }: MachineCardProps) {
  const { t } = useTranslation();
  const ofKinds = useMemo(() => (kinds: readonly string[]) => points.filter((point) => kinds.includes(point.kind)), [points]);
  const problem = (field: MachineField) =>
    problems[field] ? (
      <span className="field-error" role="alert">
        {t(problems[field] as 'production.problem.required')}
      </span>
    ) : null;
  const text = (field: MachineField, label: string, hint?: string) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input className="input" value={form[field]} aria-invalid={problems[field] ? true : undefined} onChange={(event) => onChange(field, event.target.value)} data-testid={`machine-${field}`} />
      {problem(field) ?? (hint && <span className="field-hint">{hint}</span>)}
    </label>
  );
  const pointPicker = (field: MachineField, label: string, kinds: readonly string[]) => {
    const choices = ofKinds(kinds);
    const value = form[field];
    return (
      <label className="field">
        <span className="field-label">{label}</span>
        <select className="select" value={value} aria-invalid={problems[field] ? true : undefined} onChange={(event) => onChange(field, event.target.value)} data-testid={`machine-${field}`}>
          <option value="">{t('production.choosePoint')}</option>
          {choices.map((point) => (
            <option key={point.id} value={point.id}>
              {point.name} ({point.id})
            </option>
          ))}
          {value !== '' && !choices.some((point) => point.id === value) && <option value={value}>{value}</option>}
        </select>
        {problem(field)}
      </label>
    );
  };
  return (
    <div className="production-card" data-testid={`machine-${form.id}`}>
      <div className="production-row">
        {text('name', t('production.name'))}
        {text('id', t('production.machineId'))}
        <label className="field">
          <span className="field-label">{t('production.device')}</span>
          <select className="select" value={form.deviceId} onChange={(event) => onChange('deviceId', event.target.value)}>
            {devices.map((device) => (
              <option key={device.id} value={device.id}>
                {device.name}
              </option>
            ))}
            {!devices.some((device) => device.id === form.deviceId) && <option value={form.deviceId}>{form.deviceId}</option>}
          </select>
          {problem('deviceId')}
        </label>
        <button type="button" className="btn btn-ghost btn-small" onClick={onRemove}>
          {t('production.remove')}
        </button>
      </div>
      <div className="production-row">
        {pointPicker('stateTag', t('production.stateTag'), ['state'])}
        {text('runningStates', t('production.runningStates'), t('production.stateCodesHint'))}
        {text('idleStates', t('production.idleStates'))}
        {text('alarmStates', t('production.alarmStates'))}
      </div>
      <div className="production-row">
        {pointPicker('partCounter', t('production.partCounter'), ['counter'])}
        <label className="field">
          <span className="field-label">{t('production.secondCounter')}</span>
          <select className="select" value={form.secondCounter} onChange={(event) => onChange('secondCounter', event.target.value)}>
            <option value="none">{t('production.secondCounter.none')}</option>
            <option value="scrap">{t('production.secondCounter.scrap')}</option>
            <option value="good">{t('production.secondCounter.good')}</option>
          </select>
        </label>
        {form.secondCounter !== 'none' && pointPicker('secondCounterPoint', t(`production.secondCounter.${form.secondCounter}`), ['counter'])}
        {text('partsPerCount', t('production.partsPerCount'))}
      </div>
      <div className="production-row">
        {text('idealCycleTimeS', t('production.idealCycleTime'))}
        {text('microStopS', t('production.microStop'))}
        <label className="field">
          <span className="field-label">{t('production.meter')}</span>
          <select className="select" value={form.meterKind} onChange={(event) => onChange('meterKind', event.target.value)}>
            <option value="none">{t('production.meter.none')}</option>
            <option value="energy">{t('production.meter.energy')}</option>
            <option value="power">{t('production.meter.power')}</option>
          </select>
        </label>
        {form.meterKind !== 'none' && pointPicker('meterPoint', t('production.meterPoint'), form.meterKind === 'energy' ? ['counter'] : ['analog', 'counter'])}
      </div>
    </div>
  );
}
