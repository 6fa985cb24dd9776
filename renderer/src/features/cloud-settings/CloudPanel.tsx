// Settings → Cloud and licences: the cloud's address, activating this PC with a one-time code, what
// the cloud knows of it (organisation, machine id, where its key is kept), the sync, every licence
// (and pasting licence lines for a plant without internet), pay-after-use meters and pay-for-results
// statements.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { Field, TextInput } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { keepCloudStatus, loadCloudStatus, loadLicences, useCloudStore } from './cloud-store.ts';
import { LicencesSection } from './LicencesSection.tsx';
import { MeteringSection, OutcomesSection } from './UsageSections.tsx';
import { SyncSection } from './SyncSection.tsx';
import './cloud-settings.css';

type Result = { tone: 'good' | 'bad'; text: string } | null;

export function CloudPanel() {
  const { t, i18n } = useTranslation();
  const status = useCloudStore((state) => state.status);
  const unavailable = useCloudStore((state) => state.unavailable);
  const problem = useCloudStore((state) => state.problem);
  // The address as typed: saved on its own, or sent with the activation (one step for a new PC).
  const [address, setAddress] = useState<string | null>(null);
  useEffect(() => {
    void loadCloudStatus();
    void loadLicences();
  }, []);

  if (unavailable) {
    return (
      <section className="cloud-panel" data-testid="cloud-panel">
        <Notice tone="info">{t('store.cloud.unavailable')}</Notice>
      </section>
    );
  }
  if (!status && problem) {
    return (
      <section className="cloud-panel" data-testid="cloud-panel">
        <Notice tone="bad">{problem}</Notice>
        <button type="button" className="btn cloud-retry" onClick={() => void loadCloudStatus()}>
          {t('store.retry')}
        </button>
      </section>
    );
  }
  if (!status) {
    return (
      <section className="cloud-panel" data-testid="cloud-panel" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
      </section>
    );
  }
  const when = (ts: number) => formatDateTime(ts, i18n.language);
  const typedAddress = address ?? status.url ?? '';
  return (
    <section className="cloud-panel" data-testid="cloud-panel" data-activated={status.activated}>
      <h3 className="cloud-title">{t('store.cloud.title')}</h3>
      {!status.fingerprintMatches && <Notice tone="bad" testId="cloud-fingerprint">{t('store.cloud.fingerprint')}</Notice>}
      {status.clockWarning && <Notice tone="warn">{status.clockWarning}</Notice>}
      <CloudAddress url={status.url} activated={status.activated} text={typedAddress} onText={setAddress} />
      {status.activated ? (
        <dl className="cloud-facts" data-testid="cloud-status">
          <dt>{t('store.cloud.organisation')}</dt>
          <dd>{status.organisationName ?? '—'}</dd>
          <dt>{t('store.cloud.machineName')}</dt>
          <dd>{status.machineName ?? '—'}</dd>
          <dt>{t('store.cloud.machineId')}</dt>
          <dd className="mono">{status.machineId ?? '—'}</dd>
          <dt>{t('store.cloud.activatedAt')}</dt>
          <dd>{status.activatedAt === null ? '—' : when(status.activatedAt)}</dd>
          <dt>{t('store.cloud.keyStorage')}</dt>
          <dd>{t(`store.cloud.key.${status.keyStorage}`)}</dd>
        </dl>
      ) : (
        <ActivationForm address={typedAddress.trim()} savedUrl={status.url} />
      )}
      <SyncSection />
      <LicencesSection />
      <MeteringSection />
      <OutcomesSection />
    </section>
  );
}

/** The cloud platform's address, changeable before activation (or to move to another platform). */
function CloudAddress({ url, activated, text, onText }: { url: string | null; activated: boolean; text: string; onText(text: string): void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);
  async function save(): Promise<void> {
    setBusy(true);
    setResult(null);
    try {
      keepCloudStatus(await bridge.call('cloud.setUrl', { url: text.trim() }));
      setResult({ tone: 'good', text: t('store.cloud.urlSaved') });
    } catch (error) {
      setResult({ tone: 'bad', text: callErrorMessage(error, t('store.actionFailed')) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="cloud-section">
      <div className="cloud-row">
        <Field label={t('store.cloud.url')} className="cloud-grow">
          <TextInput value={text} onChange={onText} mono placeholder="https://cloud.plantdesk.cn" testId="cloud-url" />
        </Field>
        <button type="button" className="btn" onClick={() => void save()} disabled={busy || text.trim() === '' || text.trim() === url} data-testid="cloud-url-save">
          {t('store.cloud.urlSave')}
        </button>
      </div>
      {/* Under the row, so the button lines up with the box rather than with the hint. */}
      <p className="field-hint">{activated ? t('store.cloud.urlActivatedHint') : t('store.cloud.urlHint')}</p>
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
    </div>
  );
}

/** Activating this PC with the one-time code from the cloud's web page (at the address typed above). */
function ActivationForm({ address, savedUrl }: { address: string; savedUrl: string | null }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [machineName, setMachineName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const ready = code.trim().length >= 8 && machineName.trim().length > 0 && address !== '';
  async function activate(): Promise<void> {
    setBusy(true);
    setProblem(null);
    try {
      keepCloudStatus(
        await bridge.call('cloud.activate', { code: code.trim(), machineName: machineName.trim(), ...(address !== savedUrl ? { url: address } : {}) }),
      );
      void loadLicences();
    } catch (error) {
      setProblem(callErrorMessage(error, t('store.cloud.activateFailed')));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="cloud-section" data-testid="cloud-activate">
      <h4 className="cloud-subtitle">{t('store.cloud.activateTitle')}</h4>
      <p className="muted">{t('store.cloud.activateExplain')}</p>
      <div className="cloud-row">
        <Field label={t('store.cloud.code')} className="cloud-grow">
          <TextInput value={code} onChange={setCode} mono testId="cloud-code" />
        </Field>
        <Field label={t('store.cloud.thisPcName')} className="cloud-grow">
          <TextInput value={machineName} onChange={setMachineName} placeholder={t('store.cloud.thisPcNameHint')} testId="cloud-machine-name" />
        </Field>
        <button type="button" className="btn btn-primary" onClick={() => void activate()} disabled={busy || !ready} data-testid="cloud-activate-button">
          {busy && <span className="spinner spinner-small" aria-hidden="true" />}
          {t('store.cloud.activate')}
        </button>
      </div>
      {address === '' && <p className="field-hint">{t('store.cloud.needUrl')}</p>}
      {problem && <Notice tone="bad" testId="cloud-activate-problem">{problem}</Notice>}
    </div>
  );
}
