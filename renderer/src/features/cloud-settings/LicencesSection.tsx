// Every template's licence on this PC in plain words (state, days left, until when), and "Paste
// licence…" for a plant without internet: licence lines from the cloud's web page or a file.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { formatDay, LicenceBadge, localised } from '../marketplace/index.ts';
import { keepLicences, useCloudStore } from './cloud-store.ts';

export function LicencesSection() {
  const { t, i18n } = useTranslation();
  const licences = useCloudStore((state) => state.licences);
  const names = useCloudStore((state) => state.templateNames);
  const [pasting, setPasting] = useState(false);
  return (
    <div className="cloud-section" data-testid="cloud-licences">
      <div className="cloud-section-head">
        <h4 className="cloud-subtitle">{t('store.licences.title')}</h4>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => setPasting(true)} data-testid="cloud-paste-licence">
          {t('store.licences.paste')}
        </button>
      </div>
      {licences.length === 0 ? (
        <p className="muted">{t('store.licences.none')}</p>
      ) : (
        <ul className="cloud-licences">
          {licences.map((licence) => (
            <li key={licence.templateId} data-testid={`cloud-licence-${licence.templateId}`}>
              <div className="cloud-licence-head">
                <strong>{names[licence.templateId] ? localised(names[licence.templateId]!, i18n.language) : licence.templateId}</strong>
                <LicenceBadge licence={licence} />
                {/* A trial's plan says what its badge already says. */}
                {licence.plan && !(licence.plan === 'trial' && licence.state === 'trial') && <span className="muted">{t(`store.plan.${licence.plan}`)}</span>}
                {licence.validUntil !== null && <span className="muted">{t('store.licences.validUntil', { date: formatDay(licence.validUntil, i18n.language) })}</span>}
              </div>
              <p>{licence.message}</p>
              {licence.unreportedUnits !== null && licence.maxUnreportedUnits !== null && (
                <p className="muted">{t('store.licences.unreported', { units: licence.unreportedUnits, max: licence.maxUnreportedUnits })}</p>
              )}
              {licence.clockWarning && <Notice tone="warn">{licence.clockWarning}</Notice>}
            </li>
          ))}
        </ul>
      )}
      {pasting && <PasteLicenceDialog onClose={() => setPasting(false)} />}
    </div>
  );
}

function PasteLicenceDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [added, setAdded] = useState<number | null>(null);
  async function importLines(): Promise<void> {
    setBusy(true);
    setProblem(null);
    try {
      const { licences } = await bridge.call('licences.import', { text });
      keepLicences(licences);
      setAdded(licences.length);
    } catch (error) {
      setProblem(callErrorMessage(error, t('store.actionFailed')));
    } finally {
      setBusy(false);
    }
  }
  async function readFile(file: File | undefined): Promise<void> {
    if (file) setText(await file.text());
  }
  return (
    <Dialog
      title={t('store.licences.pasteTitle')}
      size="medium"
      onClose={onClose}
      testId="paste-licence"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {added === null ? t('common.cancel') : t('common.close')}
          </button>
          {added === null && (
            <button type="button" className="btn btn-primary" onClick={() => void importLines()} disabled={busy || text.trim() === ''} data-testid="paste-licence-import">
              {busy && <span className="spinner spinner-small" aria-hidden="true" />}
              {t('store.licences.import')}
            </button>
          )}
        </>
      }
    >
      <p className="muted">{t('store.licences.pasteExplain')}</p>
      <textarea
        className="input cloud-licence-text mono"
        value={text}
        onChange={(event) => setText(event.target.value)}
        rows={8}
        spellCheck={false}
        aria-label={t('store.licences.pasteTitle')}
        data-autofocus=""
        data-testid="paste-licence-text"
      />
      <label className="btn cloud-file-button">
        {t('store.licences.fromFile')}
        <input type="file" accept=".txt,.lic,text/plain" className="visually-hidden" onChange={(event) => void readFile(event.target.files?.[0])} />
      </label>
      {added !== null && <Notice tone="good" testId="paste-licence-done">{t('store.licences.imported', { licences: added })}</Notice>}
      {problem && (
        <Notice tone="bad" testId="paste-licence-problem">
          {problem}
        </Notice>
      )}
    </Dialog>
  );
}
