// One settings document of the KPI engine as a section edits it: read once, a draft changed by the
// form, saved with the core's answer taken as the new saved state, and the outcome as a sentence
// (the core's own when it refuses, in the UI language).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { callErrorMessage } from '../../app/call-error.ts';
import { refreshFeeds } from '../widgets/overview-feed.ts';

export type SaveOutcome = { tone: 'good' | 'bad'; text: string } | null;

export function useSettingDocument<Doc>(read: () => Promise<Doc>, write: (doc: Doc) => Promise<Doc>) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Doc | null>(null);
  const [outcome, setOutcome] = useState<SaveOutcome>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let cancelled = false;
    read().then(
      (doc) => !cancelled && setDraft(doc),
      (error: unknown) => !cancelled && setOutcome({ tone: 'bad', text: callErrorMessage(error, t('production.readFailed')) }),
    );
    return () => {
      cancelled = true;
    };
    // Read once when the section opens.
  }, []);
  const change = (next: Doc) => {
    setDraft(next);
    setOutcome(null);
  };
  const save = async (doc: Doc | null = draft) => {
    if (doc === null) return;
    setBusy(true);
    try {
      setDraft(await write(doc));
      setOutcome({ tone: 'good', text: t('production.saved') });
      refreshFeeds();
    } catch (error) {
      setOutcome({ tone: 'bad', text: callErrorMessage(error, t('production.saveFailed')) });
    } finally {
      setBusy(false);
    }
  };
  return { draft, change, save, outcome, setOutcome, busy };
}
