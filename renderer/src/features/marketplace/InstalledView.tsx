// Installed: every template instance on this PC with its version, licence and any update, and what
// can be done with it — Update, Roll back, Uninstall (keeping the collected data or not), open its
// dashboard — plus "Install from file…" for a package brought on a USB stick.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstalledTemplate, PackageSource } from '../../../../shared/contract/market-calls.ts';
import { formatBytes } from '../../format/format-bytes.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { marketHref } from '../../app/navigation.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { rememberDashboard } from '../dashboard/dashboard-store.ts';
import { refreshFeeds } from '../widgets/index.ts';
import { PACKAGE_LIMITS } from '../../../../shared/cloud/manifest.ts';
import { InstallDialog } from './InstallDialog.tsx';
import { LicenceBadge } from './LicenceBadge.tsx';
import { formatDay } from './market-text.ts';
import { localised } from './money.ts';
import { readPackageFile } from './package-file.ts';

type Action = { kind: 'update' | 'rollBack' | 'uninstall'; instance: InstalledTemplate };
type Outcome = { tone: 'good' | 'bad'; text: string };

export function InstalledView() {
  const { t, i18n } = useTranslation();
  const [instances, setInstances] = useState<InstalledTemplate[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const [action, setAction] = useState<Action | null>(null);
  const [keepData, setKeepData] = useState(true);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [fileSource, setFileSource] = useState<PackageSource | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  async function load(): Promise<void> {
    try {
      setInstances((await bridge.call('templates.installed', {})).instances);
      setLoadProblem(null);
    } catch (error) {
      setLoadProblem(callErrorMessage(error, t('store.loadFailed')));
    }
  }
  useEffect(() => {
    void load();
    return bridge.on('templates.changed', () => void load());
  }, []);

  async function run(current: Action): Promise<void> {
    setBusy(true);
    const name = localised(current.instance.name, i18n.language);
    const { instanceId } = current.instance;
    try {
      if (current.kind === 'update') {
        const updated = await bridge.call('templates.update', { instanceId });
        setOutcome({ tone: 'good', text: t('store.updated', { instance: instanceId, name, version: updated.version }) });
      } else if (current.kind === 'rollBack') {
        const rolled = await bridge.call('templates.rollBack', { instanceId });
        setOutcome({ tone: 'good', text: t('store.rolledBack', { instance: instanceId, name, version: rolled.version }) });
      } else {
        await bridge.call('templates.uninstall', { instanceId, keepData });
        setOutcome({ tone: 'good', text: keepData ? t('store.uninstalledKept', { instance: instanceId, name }) : t('store.uninstalled', { instance: instanceId, name }) });
      }
    } catch (error) {
      setOutcome({ tone: 'bad', text: callErrorMessage(error, t('store.actionFailed')) });
    } finally {
      setBusy(false);
      setAction(null);
      // Machines may have come or gone with the instance: the KPI figures are read again.
      refreshFeeds();
      void load();
    }
  }

  async function chooseFile(file: File | undefined): Promise<void> {
    if (!file) return;
    const read = await readPackageFile(file);
    if (read.ok) setFileSource(read.source);
    else setOutcome({ tone: 'bad', text: t(`store.file.${read.reason}`, { file: file.name, max: formatBytes(PACKAGE_LIMITS.maxPackageBytes) }) });
  }

  return (
    <div className="market-installed" data-testid="market-installed">
      <div className="market-toolbar">
        <span className="spacer" />
        <input
          ref={fileInput}
          type="file"
          accept=".zip,application/zip"
          className="visually-hidden"
          tabIndex={-1}
          onChange={(event) => {
            void chooseFile(event.target.files?.[0]);
            event.target.value = '';
          }}
          data-testid="install-file-input"
        />
        <button type="button" className="btn" onClick={() => fileInput.current?.click()} data-testid="install-from-file">
          {t('store.installFromFile')}
        </button>
      </div>
      {outcome && (
        <Notice tone={outcome.tone} testId="installed-outcome">
          <span className="market-full-problem">{outcome.text}</span>
        </Notice>
      )}
      {loadProblem && <Notice tone="bad">{loadProblem}</Notice>}
      {instances && instances.length === 0 && (
        <div className="market-empty">
          <p>{t('store.installedNone')}</p>
          <a className="btn btn-primary" href={marketHref({ view: 'browse' })}>
            {t('store.browse')}
          </a>
        </div>
      )}
      <ul className="market-instances">
        {instances?.map((instance) => (
          <li key={instance.instanceId} className="market-instance" data-testid={`instance-${instance.instanceId}`}>
            <div className="market-instance-main">
              <div className="market-instance-title">
                <a href={marketHref({ view: 'template', templateId: instance.templateId })}>{localised(instance.name, i18n.language)}</a>
                <span className="mono">{instance.instanceId}</span>
                <span className="muted">{t('store.versionOf', { version: instance.version })}</span>
                {instance.licence && <LicenceBadge licence={instance.licence} />}
              </div>
              <p className="muted">{t('store.installedOn', { date: formatDay(instance.installedAt, i18n.language), updated: formatDay(instance.updatedAt, i18n.language) })}</p>
              {instance.licence && instance.licence.state !== 'none' && <p className="market-licence-sentence">{instance.licence.message}</p>}
              {instance.licence?.clockWarning && <Notice tone="warn">{instance.licence.clockWarning}</Notice>}
              {instance.control.status !== 'published' && (
                <Notice tone={instance.control.status === 'revoked' ? 'bad' : 'warn'}>{t(`store.control.${instance.control.status}Sentence`, { reason: instance.control.reason })}</Notice>
              )}
            </div>
            <div className="market-instance-actions">
              {instance.created.dashboard[0] && (
                <a className="btn" href="#/" onClick={() => rememberDashboard(instance.created.dashboard[0]!)}>
                  {t('store.openDashboard')}
                </a>
              )}
              {instance.updateAvailable && (
                <button type="button" className="btn btn-primary" onClick={() => setAction({ kind: 'update', instance })} data-testid={`instance-update-${instance.instanceId}`}>
                  {t('store.updateTo', { version: instance.updateAvailable })}
                </button>
              )}
              {instance.previousVersion && (
                <button type="button" className="btn" onClick={() => setAction({ kind: 'rollBack', instance })} data-testid={`instance-rollback-${instance.instanceId}`}>
                  {t('store.rollBackTo', { version: instance.previousVersion })}
                </button>
              )}
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => {
                  setKeepData(true);
                  setAction({ kind: 'uninstall', instance });
                }}
                data-testid={`instance-uninstall-${instance.instanceId}`}
              >
                {t('store.uninstall')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {action && (
        <ConfirmDialog
          title={t(`store.confirm.${action.kind}.title`)}
          confirmLabel={t(`store.confirm.${action.kind}.button`)}
          danger={action.kind === 'uninstall'}
          busy={busy}
          onConfirm={() => void run(action)}
          onCancel={() => setAction(null)}
          testId="installed-confirm"
        >
          <p>
            {t(`store.confirm.${action.kind}.text`, {
              name: localised(action.instance.name, i18n.language),
              instance: action.instance.instanceId,
              version: action.kind === 'update' ? (action.instance.updateAvailable ?? '') : action.kind === 'rollBack' ? (action.instance.previousVersion ?? '') : action.instance.version,
            })}
          </p>
          {action.kind === 'uninstall' && (
            <label className="check">
              <input type="checkbox" checked={keepData} onChange={(event) => setKeepData(event.target.checked)} data-testid="uninstall-keep-data" />
              {t('store.keepData')}
            </label>
          )}
          {busy && <span className="spinner" aria-hidden="true" />}
        </ConfirmDialog>
      )}
      {fileSource && <InstallDialog source={fileSource} onClose={() => setFileSource(null)} onInstalled={() => void load()} />}
    </div>
  );
}
