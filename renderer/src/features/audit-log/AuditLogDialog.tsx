// The audit log (audit.list): who wrote what to which point, when, old → new, and how it went,
// newest first, with older entries on request.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '../../../../shared/contract/device-calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useMessage } from '../../app/use-message.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { useCommissioningStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { auditActionKey } from './audit-entry.ts';
import './audit-log.css';

const PAGE = 100;

export function AuditLogDialog() {
  const open = useCommissioningStore((state) => state.auditOpen);
  return open ? <AuditLog /> : null;
}

function AuditLog() {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const setOpen = useCommissioningStore((state) => state.setAuditOpen);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (before?: number) => {
    setBusy(true);
    setError(null);
    try {
      const page = await bridge.call('audit.list', before === undefined ? { limit: PAGE } : { limit: PAGE, before });
      setEntries((current) => (before === undefined ? page : [...(current ?? []), ...page]));
      setMore(page.length === PAGE);
    } catch (failure) {
      setError(callErrorMessage(failure, t('error.internal')));
    } finally {
      setBusy(false);
    }
  };
  // Loads once when opened; Refresh and "Older entries" load again.
  useEffect(() => {
    void load();
  }, []);

  return (
    <Dialog
      title={t('audit.title')}
      size="large"
      onClose={() => setOpen(false)}
      testId="audit-log"
      footer={
        <>
          <button type="button" className="btn" onClick={() => void load()} disabled={busy}>{t('audit.refresh')}</button>
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={() => setOpen(false)}>{t('common.close')}</button>
        </>
      }
    >
      {error && <Notice tone="bad">{error}</Notice>}
      {entries && entries.length === 0 && <p className="muted">{t('audit.empty')}</p>}
      {entries && entries.length > 0 && (
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th>{t('audit.time')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.what')}</th>
              <th>{t('audit.change')}</th>
              <th>{t('audit.result')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const action = auditActionKey(entry.action);
              return (
                <tr key={entry.id} data-testid="audit-entry">
                  <td className="audit-time">{formatDateTime(entry.ts, i18n.language)}</td>
                  <td>{entry.actor}</td>
                  <td>
                    <span className="audit-action">{action ? say({ key: action }) : entry.action}</span> {entry.target}
                  </td>
                  <td className="mono audit-change">
                    {entry.oldValue ?? '—'} → {entry.newValue ?? '—'}
                  </td>
                  <td>
                    <span className={`pill pill-${entry.result === 'ok' ? 'good' : 'bad'}`}>{t(`audit.result.${entry.result}`)}</span>
                    {entry.message && <div className="audit-message">{entry.message}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {more && entries && (
        <button type="button" className="btn btn-ghost" onClick={() => void load(entries.at(-1)?.ts)} disabled={busy}>
          {t('audit.older')}
        </button>
      )}
    </Dialog>
  );
}
