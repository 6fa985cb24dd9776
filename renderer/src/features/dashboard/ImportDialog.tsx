// Importing a dashboard file: choose it, and it is checked and stored beside the others; a file that
// does not fit is refused with every problem named (the line and column where the JSON breaks, or the
// widget and field and why), and nothing is changed.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardProblem } from '../../../../shared/domain/dashboards.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { importDashboard } from './dashboard-actions.ts';

export function ImportDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const [fileName, setFileName] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; problems: DashboardProblem[] } | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    setRefusal(null);
    setBusy(true);
    try {
      const outcome = await importDashboard(await file.text());
      if (outcome.ok) onClose();
      else setRefusal({ message: outcome.message, problems: outcome.problems });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('dashboard.importTitle')}
      onClose={onClose}
      testId="dashboard-import"
      footer={
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      <p className="field-hint">{t('dashboard.importHint')}</p>
      <div className="dashboard-file-pick">
        <label className="btn btn-primary">
          <input
            type="file"
            accept=".json,application/json"
            className="visually-hidden"
            onChange={(event) => {
              void choose(event.target.files?.[0]);
              event.target.value = '';
            }}
            data-testid="dashboard-import-file"
          />
          {t('import.choose')}
        </label>
        <span className={fileName ? 'dashboard-file-name' : 'muted'}>{fileName ?? t('import.noFile')}</span>
        {busy && <span className="spinner spinner-small" aria-hidden="true" />}
      </div>
      {refusal && (
        <div className="dashboard-import-problems" data-testid="dashboard-import-problems">
          {refusal.problems.length > 0 ? (
            <>
              <Notice tone="bad">{t('dashboard.importProblems', { count: refusal.problems.length })}</Notice>
              <ul>
                {refusal.problems.map((problem, index) => (
                  <li key={index}>
                    <b>{problem.where}</b>: {problem.message}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <Notice tone="bad">{refusal.message}</Notice>
          )}
        </div>
      )}
    </Dialog>
  );
}
