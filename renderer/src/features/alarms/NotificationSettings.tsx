// The group robots new alarms are sent to: WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书), with
// the webhook address and, where the robot signs, its secret; the least severity sent and the
// language of the messages. Stored addresses and secrets are never shown again: leave the fields
// empty to keep them. Administrators only (the core checks).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { WEBHOOK_KINDS, type NotificationChannelInput, type NotificationChannelView, type WebhookKind } from '../../../../shared/contract/alarm-calls.ts';
import { ALARM_SEVERITIES, type AlarmSeverity } from '../../../../shared/domain/alarms.ts';
import { LOCALES, type Locale } from '../../../../shared/i18n/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { Notice } from '../../ui/Notice.tsx';
import { callAlarms } from './alarm-api.ts';

interface RobotDraft {
  id: string;
  name: string;
  kind: WebhookKind;
  enabled: boolean;
  minSeverity: AlarmSeverity;
  locale: Locale;
  /** The stored address, shortened; empty for a new robot. */
  storedUrl: string;
  hasSecret: boolean;
  url: string;
  secret: string;
  removeSecret: boolean;
  saved: boolean;
}

const fromView = (view: NotificationChannelView): RobotDraft => ({ ...view, storedUrl: view.url, url: '', secret: '', removeSecret: false, saved: true });

function toInput(draft: RobotDraft): NotificationChannelInput {
  const secret = draft.removeSecret ? null : draft.secret.trim() || undefined;
  return {
    id: draft.id,
    name: draft.name.trim() || draft.id,
    kind: draft.kind,
    enabled: draft.enabled,
    minSeverity: draft.minSeverity,
    locale: draft.locale,
    ...(draft.url.trim() ? { url: draft.url.trim() } : {}),
    ...(secret === undefined ? {} : { secret }),
  };
}

type Result = { tone: 'good' | 'bad'; text: string; robot?: string } | null;

export function NotificationSettings() {
  const { t } = useTranslation();
  const [robots, setRobots] = useState<RobotDraft[] | null>(null);
  const [result, setResult] = useState<Result>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void (async () => {
      try {
        setRobots((await callAlarms('alarmNotifications.get', {})).channels.map(fromView));
      } catch (error) {
        setRobots([]);
        setResult({ tone: 'bad', text: callErrorMessage(error, t('error.internal')) });
      }
    })();
  }, []);

  const update = (id: string, patch: Partial<RobotDraft>) => setRobots((list) => (list ?? []).map((robot) => (robot.id === id ? { ...robot, ...patch } : robot)));
  const add = () =>
    setRobots((list) => {
      const taken = new Set((list ?? []).map((robot) => robot.id));
      let index = (list ?? []).length + 1;
      while (taken.has(`robot-${index}`)) index++;
      return [...(list ?? []), { id: `robot-${index}`, name: '', kind: 'wecom', enabled: true, minSeverity: 'high', locale: 'zh-CN', storedUrl: '', hasSecret: false, url: '', secret: '', removeSecret: false, saved: false }];
    });

  const save = async () => {
    setBusy(true);
    setResult(null);
    try {
      const saved = await callAlarms('alarmNotifications.set', { channels: (robots ?? []).map(toInput) });
      setRobots(saved.channels.map(fromView));
      setResult({ tone: 'good', text: t('alarms.robots.saved') });
    } catch (error) {
      setResult({ tone: 'bad', text: callErrorMessage(error, t('error.internal')) });
    } finally {
      setBusy(false);
    }
  };

  const test = async (robot: RobotDraft) => {
    setBusy(true);
    setResult(null);
    try {
      const answer = await callAlarms('alarmNotifications.test', { channelId: robot.id });
      setResult({ tone: answer.ok ? 'good' : 'bad', text: answer.detail, robot: robot.id });
    } catch (error) {
      setResult({ tone: 'bad', text: callErrorMessage(error, t('error.internal')), robot: robot.id });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="alarms-robots" data-testid="alarms-robots">
      <div className="alarms-toolbar">
        <span className="alarms-summary">{t('alarms.robots.title')}</span>
        <span className="field-hint">{t('alarms.robots.adminOnly')}</span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={add} disabled={(robots?.length ?? 0) >= 10} data-testid="robot-add">
          {t('alarms.robots.add')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy || robots === null} data-testid="robots-save">
          {t('alarms.robots.save')}
        </button>
      </div>
      <p className="field-hint">{t('alarms.robots.explain')}</p>
      {result && !result.robot && <Notice tone={result.tone}>{result.text}</Notice>}
      {robots?.length === 0 && <p className="muted panel-empty">{t('alarms.robots.none')}</p>}
      <div className="robot-list">
        {robots?.map((robot) => (
          <fieldset key={robot.id} className="robot" data-testid={`robot-${robot.id}`}>
            <div className="robot-row">
              <label className="field">
                <span className="field-label">{t('alarms.robots.name')}</span>
                <input className="input" value={robot.name} maxLength={100} onChange={(event) => update(robot.id, { name: event.target.value })} data-testid="robot-name" />
              </label>
              <label className="field">
                <span className="field-label">{t('alarms.robots.kind')}</span>
                <select className="select" value={robot.kind} onChange={(event) => update(robot.id, { kind: event.target.value as WebhookKind })} data-testid="robot-kind">
                  {WEBHOOK_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {t(`alarms.webhook.${kind}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field-label">{t('alarms.robots.minSeverity')}</span>
                <select className="select" value={robot.minSeverity} onChange={(event) => update(robot.id, { minSeverity: event.target.value as AlarmSeverity })}>
                  {ALARM_SEVERITIES.map((severity) => (
                    <option key={severity} value={severity}>
                      {t('alarms.robots.andWorse', { severity: t(`alarms.severity.${severity}`) })}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span className="field-label">{t('app.language')}</span>
                <select className="select" value={robot.locale} onChange={(event) => update(robot.id, { locale: event.target.value as Locale })}>
                  {LOCALES.map((locale) => (
                    <option key={locale} value={locale}>
                      {t(`app.languageName.${locale}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label className="check">
                <input type="checkbox" checked={robot.enabled} onChange={(event) => update(robot.id, { enabled: event.target.checked })} />
                {t('alarms.robots.enabled')}
              </label>
            </div>
            <div className="robot-row">
              <label className="field robot-url">
                <span className="field-label">{t('alarms.robots.url')}</span>
                <input
                  className="input mono"
                  value={robot.url}
                  placeholder={robot.storedUrl ? t('alarms.robots.keep', { value: robot.storedUrl }) : 'https://…'}
                  onChange={(event) => update(robot.id, { url: event.target.value })}
                  autoComplete="off"
                  spellCheck={false}
                  data-testid="robot-url"
                />
              </label>
              {robot.kind !== 'wecom' && (
                <label className="field robot-secret">
                  <span className="field-label">{t('alarms.robots.secret')}</span>
                  <input
                    className="input mono"
                    type="password"
                    value={robot.secret}
                    disabled={robot.removeSecret}
                    placeholder={robot.hasSecret ? t('alarms.robots.secretKept') : t('alarms.robots.secretNone')}
                    onChange={(event) => update(robot.id, { secret: event.target.value })}
                    autoComplete="new-password"
                    data-testid="robot-secret"
                  />
                </label>
              )}
              {robot.hasSecret && robot.kind !== 'wecom' && (
                <label className="check">
                  <input type="checkbox" checked={robot.removeSecret} onChange={(event) => update(robot.id, { removeSecret: event.target.checked })} />
                  {t('alarms.robots.removeSecret')}
                </label>
              )}
              <span className="spacer" />
              <button type="button" className="btn btn-small" disabled={busy || !robot.saved} title={robot.saved ? undefined : t('alarms.robots.saveFirst')} onClick={() => void test(robot)} data-testid="robot-test">
                {t('alarms.robots.test')}
              </button>
              <button type="button" className="btn btn-small btn-danger" onClick={() => setRobots((list) => (list ?? []).filter((other) => other.id !== robot.id))} data-testid="robot-remove">
                {t('alarms.robots.remove')}
              </button>
            </div>
            {result?.robot === robot.id && <Notice tone={result.tone} testId="robot-result">{result.text}</Notice>}
          </fieldset>
        ))}
      </div>
    </div>
  );
}
