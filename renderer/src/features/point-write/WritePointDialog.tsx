// Writing a value to a machine, in two steps: type the value, then confirm a sentence that repeats
// the point, the device and old → new ("Write 80 % to Feed override on CNC-1?"). Only then is
// points.write sent (confirmed: true); the answer says whether the read-back matched.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import type { Point } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useMessage } from '../../app/use-message.ts';
import { formatPointValue } from '../../format/format-value.ts';
import { useCommissioningStore, useDevicesStore, usePointsStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field, TextInput } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import type { FieldMessage } from '../../validation/schema-errors.ts';
import { isSwitchPoint, parseWriteValue } from './write-value.ts';
import './point-write.css';

type WriteResult = CallOutput<'points.write'>;

export function WritePointDialog() {
  const pointId = useCommissioningStore((state) => state.writePointId);
  const point = usePointsStore((state) => state.points.find((candidate) => candidate.id === pointId));
  return point ? <WriteForm key={point.id} point={point} /> : null;
}

function WriteForm({ point }: { point: Point }) {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const close = useCommissioningStore((state) => state.closeWrite);
  const deviceName = useDevicesStore((state) => state.devices.find((device) => device.id === point.deviceId)?.name ?? point.deviceId);
  const latest = usePointsStore((state) => state.latest[point.id]);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<FieldMessage | null>(null);
  const [step, setStep] = useState<'enter' | 'confirm' | 'done'>('enter');
  const [value, setValue] = useState<number | string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<WriteResult | null>(null);

  const show = (shown: number | string | null) => {
    if (shown === null) return t('points.noValue');
    if (isSwitchPoint(point)) return t(shown ? 'write.on' : 'write.off');
    const formatted = formatPointValue(shown, point, i18n.language) ?? t('points.noValue');
    return point.unit ? `${formatted} ${point.unit}` : formatted;
  };
  const current = latest ? show(latest.value) : t('points.noValue');

  const next = () => {
    const parsed = parseWriteValue(text.trim(), point);
    if (!parsed.ok) {
      setProblem(parsed.error);
      return;
    }
    setProblem(null);
    setValue(parsed.value);
    setStep('confirm');
  };
  const write = async () => {
    if (value === null) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await bridge.call('points.write', { pointId: point.id, value, confirmed: true }));
      setStep('done');
    } catch (failure) {
      setError(callErrorMessage(failure, t('error.internal')));
    } finally {
      setBusy(false);
    }
  };

  const footer =
    step === 'enter' ? (
      <>
        <button type="button" className="btn" onClick={close}>{t('common.cancel')}</button>
        <button type="button" className="btn btn-primary" onClick={next} data-testid="write-next">{t('write.next')}</button>
      </>
    ) : step === 'confirm' ? (
      <>
        <button type="button" className="btn" onClick={() => setStep('enter')} disabled={busy}>{t('write.back')}</button>
        <button type="button" className="btn btn-danger-solid" onClick={() => void write()} disabled={busy} data-testid="write-confirm">
          {busy && <span className="spinner spinner-small" aria-hidden="true" />}
          {t('write.confirm', { value: show(value) })}
        </button>
      </>
    ) : (
      <button type="button" className="btn btn-primary" onClick={close} data-testid="write-close">{t('common.close')}</button>
    );

  return (
    <Dialog title={t('write.title')} subtitle={`${point.name} · ${deviceName}`} size="small" onClose={close} testId="write-dialog" footer={footer}>
      <dl className="write-facts">
        <dt>{t('write.point')}</dt>
        <dd>{point.name}</dd>
        <dt>{t('write.device')}</dt>
        <dd>{deviceName}</dd>
        <dt>{t('write.current')}</dt>
        <dd data-testid="write-current">{current}</dd>
      </dl>
      {step === 'enter' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            next();
          }}
        >
          <Field label={t('write.newValue')} error={problem ?? undefined} hint={point.unit ? t('write.inUnit', { unit: point.unit }) : undefined}>
            {isSwitchPoint(point) ? (
              <select className="select" value={text} onChange={(event) => setText(event.target.value)} data-testid="write-value">
                <option value="">{t('write.pick')}</option>
                <option value="1">{t('write.on')}</option>
                <option value="0">{t('write.off')}</option>
              </select>
            ) : (
              <TextInput value={text} onChange={setText} invalid={!!problem} mono={point.dataType !== 'string'} numeric={point.dataType !== 'string'} testId="write-value" autoFocus />
            )}
          </Field>
        </form>
      )}
      {step === 'confirm' && (
        <div className="write-confirm-box" data-testid="write-question">
          <p className="write-question">{t('write.question', { value: show(value), point: point.name, device: deviceName })}</p>
          <p className="write-change">
            <span>{current}</span> <span aria-hidden="true">→</span> <strong>{show(value)}</strong>
          </p>
          <p className="field-hint">{t('write.warning')}</p>
        </div>
      )}
      {error && <Notice tone="bad" testId="write-error">{error}</Notice>}
      {step === 'done' && result && (
        <Notice tone={result.verified ? 'good' : 'warn'} testId="write-result">
          {result.verified
            ? t('write.verified', { value: show(result.readBack) })
            : say({ key: 'error.writeNotVerified', params: { value: show(result.newValue), point: point.name, readBack: show(result.readBack) } })}
          <span className="write-was">{t('write.was', { value: show(result.oldValue) })}</span>
        </Notice>
      )}
    </Dialog>
  );
}
