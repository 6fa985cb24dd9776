// Adding or changing a rule: what it watches (a point, or a device for a communication rule), the
// condition of its kind, severity, delays and the message in both languages. The contract's schema
// checks the form; the core checks the role (engineer) and that the point exists.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ALARM_RULE_KINDS,
  ALARM_SEVERITIES,
  LIMIT_LEVELS,
  RATE_DIRECTIONS,
  RATE_PERIODS,
  type AlarmRule,
  type AlarmRuleKind,
} from '../../../../shared/domain/alarms.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useDevicesStore, usePointsStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field, TextInput } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { callAlarms } from './alarm-api.ts';
import { DEFAULT_MESSAGES, draftFromRule, emptyDraft, ruleFromDraft, suggestRuleId, type RuleDraft } from './rule-form.ts';

/** The placeholders shown as they are typed (the hint names them, it does not fill them). */
const PLACEHOLDERS = { device: '{{device}}', point: '{{point}}', value: '{{value}}', limit: '{{limit}}', unit: '{{unit}}' };

interface RuleEditorProps {
  rule: AlarmRule | null;
  takenIds: ReadonlySet<string>;
  onClose(): void;
  onSaved(): void;
}

export function RuleEditor({ rule, takenIds, onClose, onSaved }: RuleEditorProps) {
  const { t } = useTranslation();
  const points = usePointsStore((state) => state.points);
  const devices = useDevicesStore((state) => state.devices);
  const [draft, setDraft] = useState<RuleDraft>(() => (rule ? draftFromRule(rule) : emptyDraft('limit')));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...patch }));

  const pointGroups = useMemo(
    () => devices.map((device) => ({ device, points: points.filter((point) => point.deviceId === device.id) })).filter((group) => group.points.length > 0),
    [devices, points],
  );

  const changeKind = (kind: AlarmRuleKind) => {
    const defaults = DEFAULT_MESSAGES[draft.kind];
    // The default text follows the kind until someone has written their own.
    const keepMessages = draft.messageZh !== defaults.zh || draft.messageEn !== defaults.en;
    update({ kind, ...(keepMessages ? {} : { messageZh: DEFAULT_MESSAGES[kind].zh, messageEn: DEFAULT_MESSAGES[kind].en }) });
  };

  const save = async () => {
    const withId = draft.isNew && draft.id.trim() === '' ? { ...draft, id: suggestRuleId(draft, takenIds) } : draft;
    const result = ruleFromDraft(withId);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setProblem(null);
    try {
      await callAlarms('alarmRules.save', { rule: result.rule });
      onSaved();
    } catch (error) {
      setProblem(callErrorMessage(error, t('error.internal')));
    } finally {
      setBusy(false);
    }
  };

  const numberField = (field: keyof RuleDraft, label: string, hint?: string) => (
    <Field label={label} error={errors[field]} hint={hint}>
      <TextInput value={String(draft[field])} onChange={(value) => update({ [field]: value } as Partial<RuleDraft>)} numeric invalid={Boolean(errors[field])} testId={`rule-${field}`} />
    </Field>
  );

  return (
    <Dialog
      title={rule ? t('alarms.rules.editTitle') : t('alarms.rules.newTitle')}
      subtitle={rule?.id}
      size="medium"
      onClose={onClose}
      testId="rule-editor"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="rule-save">
            {t('alarms.rules.save')}
          </button>
        </>
      }
    >
      <div className="rule-form">
        <Field label={t('alarms.rules.kind')}>
          <select className="select" value={draft.kind} onChange={(event) => changeKind(event.target.value as AlarmRuleKind)} data-testid="rule-kind">
            {ALARM_RULE_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`alarms.kind.${kind}`)}
              </option>
            ))}
          </select>
        </Field>
        {draft.kind === 'disconnected' ? (
          <Field label={t('alarms.column.device')} error={errors.deviceId}>
            <select className="select" value={draft.deviceId} onChange={(event) => update({ deviceId: event.target.value })} aria-invalid={errors.deviceId ? 'true' : undefined} data-testid="rule-device">
              <option value="">{t('alarms.rules.pick')}</option>
              {devices.map((device) => (
                <option key={device.id} value={device.id}>
                  {device.name}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label={t('alarms.rules.point')} error={errors.pointId}>
            <select className="select" value={draft.pointId} onChange={(event) => update({ pointId: event.target.value })} aria-invalid={errors.pointId ? 'true' : undefined} data-testid="rule-point">
              <option value="">{t('alarms.rules.pick')}</option>
              {pointGroups.map(({ device, points: devicePoints }) => (
                <optgroup key={device.id} label={device.name}>
                  {devicePoints.map((point) => (
                    <option key={point.id} value={point.id}>
                      {point.name}
                      {point.unit ? ` (${point.unit})` : ''}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </Field>
        )}
        <Field label={t('alarms.column.severity')}>
          <select className="select" value={draft.severity} onChange={(event) => update({ severity: event.target.value as RuleDraft['severity'] })} data-testid="rule-severity">
            {ALARM_SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {t(`alarms.severity.${severity}`)}
              </option>
            ))}
          </select>
        </Field>

        {draft.kind === 'limit' && (
          <>
            <Field label={t('alarms.rules.level')}>
              <select className="select" value={draft.level} onChange={(event) => update({ level: event.target.value as RuleDraft['level'] })} data-testid="rule-level">
                {LIMIT_LEVELS.map((level) => (
                  <option key={level} value={level}>
                    {t(`alarms.level.${level}`)}
                  </option>
                ))}
              </select>
            </Field>
            {numberField('limit', t('alarms.rules.limit'))}
            {numberField('deadband', t('alarms.rules.deadband'), t('alarms.rules.deadbandHint'))}
          </>
        )}
        {draft.kind === 'rateOfChange' && (
          <>
            {numberField('rate', t('alarms.rules.rate'))}
            <Field label={t('alarms.rules.per')}>
              <select className="select" value={draft.per} onChange={(event) => update({ per: event.target.value as RuleDraft['per'] })} data-testid="rule-per">
                {RATE_PERIODS.map((per) => (
                  <option key={per} value={per}>
                    {t(`alarms.condition.per.${per}`)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('alarms.rules.direction')}>
              <select className="select" value={draft.direction} onChange={(event) => update({ direction: event.target.value as RuleDraft['direction'] })} data-testid="rule-direction">
                {RATE_DIRECTIONS.map((direction) => (
                  <option key={direction} value={direction}>
                    {t(`alarms.direction.${direction}`)}
                  </option>
                ))}
              </select>
            </Field>
            {numberField('deadband', t('alarms.rules.deadband'))}
          </>
        )}
        {draft.kind === 'stuck' && (
          <>
            {numberField('forMinutes', t('alarms.rules.forMinutes'))}
            {numberField('tolerance', t('alarms.rules.tolerance'), t('alarms.rules.toleranceHint'))}
          </>
        )}
        {draft.kind === 'state' && (
          <Field label={t('alarms.rules.values')} error={errors.values} hint={t('alarms.rules.valuesHint')}>
            <TextInput value={draft.values} onChange={(values) => update({ values })} invalid={Boolean(errors.values)} testId="rule-values" />
          </Field>
        )}

        {numberField('onDelayS', t('alarms.rules.onDelay'), t('alarms.rules.onDelayHint'))}
        {numberField('offDelayS', t('alarms.rules.offDelay'), t('alarms.rules.offDelayHint'))}

        <Field label={t('alarms.rules.messageZh')} error={errors.messageZh} className="rule-form-wide">
          <TextInput value={draft.messageZh} onChange={(messageZh) => update({ messageZh })} invalid={Boolean(errors.messageZh)} testId="rule-message-zh" />
        </Field>
        <Field label={t('alarms.rules.messageEn')} error={errors.messageEn} hint={t('alarms.rules.placeholders', PLACEHOLDERS)} className="rule-form-wide">
          <TextInput value={draft.messageEn} onChange={(messageEn) => update({ messageEn })} invalid={Boolean(errors.messageEn)} testId="rule-message-en" />
        </Field>
        {draft.isNew && (
          <Field label={t('alarms.rules.id')} error={errors.id} hint={t('alarms.rules.idHint')}>
            <TextInput value={draft.id} onChange={(id) => update({ id })} mono invalid={Boolean(errors.id)} placeholder={suggestRuleId(draft, takenIds)} testId="rule-id" />
          </Field>
        )}
        <label className="check rule-form-check">
          <input type="checkbox" checked={draft.enabled} onChange={(event) => update({ enabled: event.target.checked })} data-testid="rule-enabled" />
          {t('alarms.rules.enabledLabel')}
        </label>
      </div>
      {problem && <Notice tone="bad" testId="rule-problem">{problem}</Notice>}
    </Dialog>
  );
}
