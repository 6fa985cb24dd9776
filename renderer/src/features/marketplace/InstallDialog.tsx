// Installing a template, from the marketplace or from a package file: the package is downloaded and
// checked first (templates.inspect), then a form from its manifest — the instance's name, its
// parameters, "Use the demo plant" where the demo has a fitting machine, and a confirmation when the
// template may write to devices — and templates.install. The core's sentence says what went wrong.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstalledTemplate, PackageInspection, PackageSource } from '../../../../shared/contract/market-calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { marketHref } from '../../app/navigation.ts';
import { useAppStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field, TextInput } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { rememberDashboard } from '../dashboard/dashboard-store.ts';
import { refreshFeeds } from '../widgets/index.ts';
import { demoMachineFor, fillFromDemo } from './demo-endpoints.ts';
import { localised } from './money.ts';
import { PackageContents } from './PackageContents.tsx';
import { ParameterFields } from './ParameterFields.tsx';
import { initialDraft, instanceIdProblem, parametersFromDraft, type ParameterDraft } from './parameter-form.ts';

interface InstallDialogProps {
  source: PackageSource;
  /** The package already checked (the template page's "show contents"); else it is checked here. */
  inspection?: PackageInspection | null;
  onClose(): void;
  onInstalled?(installed: InstalledTemplate): void;
}

type Step = { step: 'inspecting' } | { step: 'inspectFailed'; problem: string } | { step: 'form'; inspection: PackageInspection } | { step: 'done'; installed: InstalledTemplate };

export function InstallDialog({ source, inspection, onClose, onInstalled }: InstallDialogProps) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>(inspection ? { step: 'form', inspection } : { step: 'inspecting' });

  async function runInspection(): Promise<void> {
    setStep({ step: 'inspecting' });
    try {
      setStep({ step: 'form', inspection: await bridge.call('templates.inspect', { source }) });
    } catch (error) {
      setStep({ step: 'inspectFailed', problem: callErrorMessage(error, t('store.inspectFailed')) });
    }
  }
  useEffect(() => {
    if (!inspection) void runInspection();
  }, []);

  const title = step.step === 'done' ? t('store.installDone') : t('store.installTitle');
  if (step.step === 'form') {
    return (
      <InstallForm
        source={source}
        inspection={step.inspection}
        onClose={onClose}
        onInstalled={(installed) => {
          setStep({ step: 'done', installed });
          onInstalled?.(installed);
        }}
      />
    );
  }
  return (
    <Dialog
      title={title}
      size="medium"
      onClose={onClose}
      testId="install-dialog"
      footer={
        <>
          {step.step === 'inspectFailed' && (
            <button type="button" className="btn" onClick={() => void runInspection()}>
              {t('store.retry')}
            </button>
          )}
          <button type="button" className={`btn${step.step === 'done' ? ' btn-primary' : ''}`} onClick={onClose}>
            {step.step === 'inspecting' ? t('common.cancel') : t('common.close')}
          </button>
        </>
      }
    >
      {step.step === 'inspecting' && (
        <div className="market-progress" role="status" data-testid="install-inspecting">
          <p>{source.kind === 'file' ? t('store.inspectingFile', { file: source.fileName }) : t('store.inspecting')}</p>
          <div className="progress progress-indeterminate">
            <div className="progress-bar" />
          </div>
        </div>
      )}
      {step.step === 'inspectFailed' && (
        <Notice tone="bad" testId="install-inspect-problem">
          <span className="market-full-problem">{step.problem}</span>
        </Notice>
      )}
      {step.step === 'done' && <InstallDone installed={step.installed} onClose={onClose} />}
    </Dialog>
  );
}

function InstallForm({ source, inspection, onClose, onInstalled }: { source: PackageSource; inspection: PackageInspection; onClose(): void; onInstalled(installed: InstalledTemplate): void }) {
  const { t, i18n } = useTranslation();
  const { manifest, control } = inspection;
  const info = useAppStore((state) => state.info);
  const demo = info?.demo ? demoMachineFor(manifest.categories, info.demoEndpoints) : null;
  const [instanceId, setInstanceId] = useState(inspection.suggestedInstanceId);
  const [draft, setDraft] = useState<ParameterDraft>(() => initialDraft(manifest.parameters));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [confirmWrites, setConfirmWrites] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [demoFilled, setDemoFilled] = useState(false);
  const writes = manifest.permissions.includes('write-devices');
  const revoked = control.status === 'revoked';

  async function install(): Promise<void> {
    const nameProblem = instanceIdProblem(instanceId.trim(), inspection.installed.map((instance) => instance.instanceId));
    const parameters = parametersFromDraft(manifest.parameters, draft);
    const found: FieldErrors = parameters.ok ? {} : { ...parameters.errors };
    if (nameProblem) found['instanceId'] = nameProblem;
    setErrors(found);
    if (!parameters.ok || nameProblem) return;
    setBusy(true);
    setProblem(null);
    try {
      const installed = await bridge.call('templates.install', { source, instanceId: instanceId.trim(), parameters: parameters.parameters, confirmWrites: writes && confirmWrites });
      // The KPI figures read before the install do not know its machines: read them again now.
      refreshFeeds();
      onInstalled(installed);
    } catch (error) {
      setProblem(callErrorMessage(error, t('store.installFailed')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t('store.installTitle')}
      subtitle={`${localised(manifest.name, i18n.language)} ${manifest.version}`}
      size="large"
      onClose={onClose}
      testId="install-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void install()} disabled={busy || revoked || (writes && !confirmWrites)} data-testid="install-confirm">
            {busy && <span className="spinner spinner-small" aria-hidden="true" />}
            {busy ? t('store.installing') : t('store.install')}
          </button>
        </>
      }
    >
      <div className="market-install">
        <div className="market-install-form">
          {control.status !== 'published' && (
            <Notice tone={revoked ? 'bad' : 'warn'} testId="install-control">
              {t(`store.control.${control.status}Sentence`, { reason: control.reason })}
            </Notice>
          )}
          {inspection.installed.length > 0 && (
            <Notice tone="info">{t('store.alreadyInstalled', { instances: inspection.installed.map((instance) => `${instance.instanceId} (${instance.version})`).join(', ') })}</Notice>
          )}
          <Field label={t('store.instanceId')} error={errors['instanceId']} hint={t('store.instanceIdHint')}>
            <TextInput value={instanceId} onChange={setInstanceId} mono invalid={Boolean(errors['instanceId'])} testId="install-instance" autoFocus />
          </Field>
          {demo && (
            <div className="market-demo">
              <button
                type="button"
                className="btn"
                onClick={() => {
                  setDraft(fillFromDemo(manifest.parameters, draft, demo.endpoint));
                  setDemoFilled(true);
                }}
                data-testid="install-use-demo"
              >
                {t('store.useDemo')}
              </button>
              <span className="muted">
                {demoFilled ? t('store.demoFilled', { host: demo.endpoint.host, port: demo.endpoint.port }) : t('store.demoHint', { host: demo.endpoint.host, port: demo.endpoint.port })}
              </span>
            </div>
          )}
          {manifest.parameters.length > 0 ? (
            <ParameterFields parameters={manifest.parameters} draft={draft} errors={errors} onChange={setDraft} />
          ) : (
            <p className="muted">{t('store.noParameters')}</p>
          )}
          {writes && (
            <div className="market-permission" data-testid="install-writes">
              <Notice tone="warn">{t('store.writesNotice')}</Notice>
              <label className="check market-permission-check">
                <input type="checkbox" checked={confirmWrites} onChange={(event) => setConfirmWrites(event.target.checked)} data-testid="install-confirm-writes" />
                {t('store.writesConfirm')}
              </label>
            </div>
          )}
          {Object.keys(errors).length > 0 && !problem && <Notice tone="bad">{t('store.formProblems')}</Notice>}
          {problem && (
            <Notice tone="bad" testId="install-problem">
              <span className="market-full-problem">{problem}</span>
            </Notice>
          )}
        </div>
        <aside className="market-install-side">
          <h3>{t('store.contents')}</h3>
          <PackageContents inspection={inspection} />
        </aside>
      </div>
    </Dialog>
  );
}

function InstallDone({ installed, onClose }: { installed: InstalledTemplate; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const dashboardId = installed.created.dashboard[0];
  return (
    <div className="market-done" data-testid="install-done">
      <Notice tone="good">{t('store.installedSentence', { name: localised(installed.name, i18n.language), instance: installed.instanceId, version: installed.version })}</Notice>
      {installed.licence && <p>{installed.licence.message}</p>}
      <p className="market-done-links">
        {dashboardId && (
          <a
            className="btn btn-primary"
            href="#/"
            onClick={() => {
              rememberDashboard(dashboardId);
              onClose();
            }}
            data-testid="install-open-dashboard"
          >
            {t('store.openDashboard')}
          </a>
        )}
        <a className="btn" href={marketHref({ view: 'installed' })} onClick={onClose} data-testid="install-see-installed">
          {t('store.seeInstalled')}
        </a>
      </p>
    </div>
  );
}
