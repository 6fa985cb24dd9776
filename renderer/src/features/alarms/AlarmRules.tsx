// The alarm rules: what each watches, its condition in a phrase, severity, delays, on or off; an
// engineer adds, edits and deletes them (the core refuses anyone else, and the page says so).
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmRule } from '../../../../shared/domain/alarms.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useDevicesStore, usePointsStore } from '../../store/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { callAlarms } from './alarm-api.ts';
import { RuleEditor } from './RuleEditor.tsx';
import { describeCondition, type Translate } from './rule-text.ts';
import { SeverityPill } from './SeverityPill.tsx';

export function AlarmRules() {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const points = usePointsStore((state) => state.points);
  const devices = useDevicesStore((state) => state.devices);
  const [rules, setRules] = useState<AlarmRule[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<AlarmRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlarmRule | null>(null);

  const load = async () => {
    try {
      setRules((await callAlarms('alarmRules.list', {})).rules);
    } catch (error) {
      setProblem(callErrorMessage(error, t('error.internal')));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const pointById = useMemo(() => new Map(points.map((point) => [point.id, point])), [points]);
  const deviceName = (id: string) => devices.find((device) => device.id === id)?.name ?? id;
  const subject = (rule: AlarmRule) => {
    if (rule.kind === 'disconnected') return deviceName(rule.deviceId);
    const point = pointById.get(rule.pointId);
    return point ? `${deviceName(point.deviceId)} · ${point.name}` : rule.pointId;
  };

  const remove = async (rule: AlarmRule) => {
    try {
      await callAlarms('alarmRules.delete', { id: rule.id });
      setDeleting(null);
      await load();
    } catch (error) {
      setDeleting(null);
      setProblem(callErrorMessage(error, t('error.internal')));
    }
  };

  return (
    <div className="alarms-rules" data-testid="alarms-rules">
      <div className="alarms-toolbar">
        <span className="alarms-summary">{t('alarms.rules.summary', { count: rules?.length ?? 0 })}</span>
        <span className="field-hint">{t('alarms.rules.engineerOnly')}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="rule-new">
          {t('alarms.rules.new')}
        </button>
      </div>
      <p className="field-hint alarms-rules-auto">{t('alarms.rules.automatic')}</p>
      {problem && <Notice tone="bad">{problem}</Notice>}
      {rules && rules.length === 0 && <p className="muted panel-empty">{t('alarms.rules.none')}</p>}
      {rules && rules.length > 0 && (
        <div className="alarms-table-wrap">
          <table className="data-table alarms-table" data-testid="rules-table">
            <thead>
              <tr>
                <th>{t('alarms.column.severity')}</th>
                <th>{t('alarms.rules.watches')}</th>
                <th>{t('alarms.rules.condition')}</th>
                <th>{t('alarms.column.message')}</th>
                <th className="alarms-nowrap">{t('alarms.rules.enabled')}</th>
                <th className="alarms-col-actions">
                  <span className="visually-hidden">{t('alarms.column.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.map((rule) => (
                <tr key={rule.id} className={rule.enabled ? undefined : 'is-disabled'} data-testid={`rule-${rule.id}`}>
                  <td>
                    <SeverityPill severity={rule.severity} />
                  </td>
                  <td>
                    {subject(rule)}
                    <span className="alarms-rule-id mono">{rule.id}</span>
                  </td>
                  <td>{describeCondition(rule, t as unknown as Translate, rule.kind === 'disconnected' ? '' : (pointById.get(rule.pointId)?.unit ?? ''))}</td>
                  <td className="alarms-message">{rule.message[language]}</td>
                  <td className="alarms-nowrap">{rule.enabled ? t('alarms.rules.on') : t('alarms.rules.off')}</td>
                  <td className="alarms-col-actions">
                    <button type="button" className="btn btn-small" onClick={() => setEditing(rule)} data-testid="rule-edit">
                      {t('alarms.rules.edit')}
                    </button>
                    <button type="button" className="btn btn-small btn-danger" onClick={() => setDeleting(rule)} data-testid="rule-delete">
                      {t('alarms.rules.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <RuleEditor
          rule={editing === 'new' ? null : editing}
          takenIds={new Set((rules ?? []).map((rule) => rule.id))}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={t('alarms.rules.deleteTitle')}
          confirmLabel={t('alarms.rules.delete')}
          danger
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
          testId="rule-delete-confirm"
        >
          {t('alarms.rules.deleteQuestion', { rule: deleting.message[language] })}
        </ConfirmDialog>
      )}
    </div>
  );
}
