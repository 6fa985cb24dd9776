// "Test connection": one small read with the settings as they are on screen (saved or not), and
// what came of it in a sentence.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import type { Device } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { Notice } from '../../ui/Notice.tsx';
import { callErrorMessage } from '../../app/call-error.ts';

interface TestConnectionProps {
  /** The device as on screen, or null when a field is wrong (the form then shows which). */
  buildDevice(): Device | null;
}

type Outcome = { kind: 'result'; result: CallOutput<'devices.test'> } | { kind: 'failed'; message: string } | { kind: 'invalid' };

export function TestConnection({ buildDevice }: TestConnectionProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = async () => {
    const device = buildDevice();
    if (!device) {
      setOutcome({ kind: 'invalid' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'result', result: await bridge.call('devices.test', { device }) });
    } catch (error) {
      setOutcome({ kind: 'failed', message: callErrorMessage(error, t('error.internal')) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="test-connection">
      <button type="button" className="btn" onClick={() => void run()} disabled={busy} data-testid="test-connection">
        {busy && <span className="spinner spinner-small" aria-hidden="true" />}
        {t(busy ? 'deviceForm.testing' : 'deviceForm.test')}
      </button>
      {outcome?.kind === 'invalid' && <Notice tone="bad">{t('deviceForm.fixFieldsFirst')}</Notice>}
      {outcome?.kind === 'failed' && (
        <Notice tone="bad" testId="test-result">
          {outcome.message}
        </Notice>
      )}
      {outcome?.kind === 'result' && (
        <Notice tone={outcome.result.reachable ? 'good' : 'bad'} testId="test-result">
          {outcome.result.message}
        </Notice>
      )}
    </div>
  );
}
