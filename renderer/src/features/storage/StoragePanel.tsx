// Settings → Storage: whether the database file is usable (and the core's sentence when it is not),
// its size and the free disk space, the backups with a Restore each, "Back up now", the daily
// schedule, how long history is kept (RetentionSection), and — for a damaged file with no backup —
// starting an empty database.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupInfo } from '../../../../shared/contract/storage-calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { loadStorageStatus } from '../../app/live-data.ts';
import { formatBytes } from '../../format/format-bytes.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { useSettingsStore } from '../../store/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Field, TextInput } from '../../ui/Field.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { RetentionSection } from './RetentionSection.tsx';
import { formToSchedule, scheduleChanged, scheduleToForm, type ScheduleErrors, type ScheduleForm } from './schedule-form.ts';
import './storage.css';

type Result = { tone: 'good' | 'bad'; text: string } | null;

export function StoragePanel() {
  const { t, i18n } = useTranslation();
  const status = useSettingsStore((state) => state.storage);
  const [backups, setBackups] = useState<BackupInfo[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);
  const [startingEmpty, setStartingEmpty] = useState(false);
  const when = (ts: number) => formatDateTime(ts, i18n.language);

  const loadBackups = async () => {
    try {
      setBackups(await bridge.call('storage.listBackups', {}));
    } catch (failure) {
      setResult({ tone: 'bad', text: callErrorMessage(failure, t('error.internal')) });
    }
  };
  useEffect(() => {
    void loadStorageStatus();
  }, []);
  // The list follows the status: a backup taken, a restore or a scheduled backup changes both.
  useEffect(() => {
    void loadBackups();
  }, [status?.lastBackupAt, status?.state, status?.backups.length]);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setResult(null);
    try {
      setResult({ tone: 'good', text: await action() });
    } catch (failure) {
      setResult({ tone: 'bad', text: callErrorMessage(failure, t('error.internal')) });
    } finally {
      setBusy(false);
      void loadStorageStatus();
      void loadBackups();
    }
  };

  const backUp = () =>
    run(async () => {
      const backup = await bridge.call('storage.backup', {});
      return t('storage.backupDone', { time: when(backup.ts), size: formatBytes(backup.sizeBytes) });
    });

  const restore = (backup: BackupInfo) => {
    setRestoring(null);
    void run(async () => {
      useSettingsStore.setState({ storage: await bridge.call('storage.restore', { file: backup.file, confirmed: true }) });
      return t('storage.restoreDone', { time: when(backup.ts) });
    });
  };

  const startEmpty = () => {
    setStartingEmpty(false);
    void run(async () => {
      useSettingsStore.setState({ storage: await bridge.call('storage.startEmpty', { confirmed: true }) });
      return t('storage.startEmptyDone');
    });
  };

  if (!status) {
    return (
      <section className="storage-panel" data-testid="storage-panel" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
      </section>
    );
  }
  const unavailable = status.state === 'unavailable';
  const list = backups ?? status.backups;

  return (
    <section className="storage-panel" data-testid="storage-panel" data-state={status.state}>
      <h3 className="storage-title">{t('storage.title')}</h3>
      {unavailable && status.problem && (
        <Notice tone="bad" testId="storage-problem">
          {status.problem}
        </Notice>
      )}
      {status.lastBackupProblem && <Notice tone="warn">{status.lastBackupProblem}</Notice>}

      <dl className="storage-facts">
        <dt>{t('storage.state')}</dt>
        <dd>
          <span className={`pill pill-${unavailable ? 'bad' : 'good'}`} data-testid="storage-state">
            {t(`storage.state.${status.state}`)}
          </span>
        </dd>
        <dt>{t('storage.file')}</dt>
        <dd className="mono storage-path">{status.file}</dd>
        <dt>{t('storage.size')}</dt>
        <dd>{status.sizeBytes === null ? '—' : formatBytes(status.sizeBytes)}</dd>
        <dt>{t('storage.free')}</dt>
        <dd>{status.freeBytes === null ? t('storage.unknown') : formatBytes(status.freeBytes)}</dd>
        {status.heldSamples > 0 && (
          <>
            <dt>{t('storage.held')}</dt>
            <dd>{status.heldSamples}</dd>
          </>
        )}
        <dt>{t('storage.lastBackup')}</dt>
        <dd>{status.lastBackupAt === null ? t('storage.never') : when(status.lastBackupAt)}</dd>
        <dt>{t('storage.nextBackup')}</dt>
        <dd>{status.nextBackupAt === null ? t('storage.scheduleOff') : when(status.nextBackupAt)}</dd>
      </dl>

      <div className="storage-section">
        <div className="storage-section-head">
          <h4 className="storage-subtitle">{t('storage.backups')}</h4>
          <span className="spacer" />
          <button type="button" className="btn btn-primary" onClick={() => void backUp()} disabled={busy || unavailable} data-testid="storage-backup-now">
            {busy && <span className="spinner-small" aria-hidden="true" />}
            {t('storage.backupNow')}
          </button>
        </div>
        {result && (
          <Notice tone={result.tone} testId="storage-result">
            {result.text}
          </Notice>
        )}
        <p className="field-hint">
          {t('storage.backupDir')} <span className="mono">{status.backupDir}</span>
        </p>
        {list.length === 0 ? (
          <p className="muted">{t('storage.noBackups')}</p>
        ) : (
          <table className="data-table storage-backups">
            <thead>
              <tr>
                <th>{t('storage.backupTime')}</th>
                <th>{t('storage.backupSize')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((backup, index) => (
                <tr key={backup.file} data-testid="storage-backup" title={backup.file}>
                  <td>{when(backup.ts)}</td>
                  <td>{formatBytes(backup.sizeBytes)}</td>
                  <td className="storage-backup-action">
                    <button type="button" className="btn btn-small" onClick={() => setRestoring(backup)} disabled={busy} data-testid={`storage-restore-${index}`}>
                      {t('storage.restore')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {unavailable && list.length === 0 && (
          <div className="storage-empty-offer">
            <button type="button" className="btn btn-danger" onClick={() => setStartingEmpty(true)} disabled={busy} data-testid="storage-start-empty">
              {t('storage.startEmpty')}
            </button>
          </div>
        )}
      </div>

      <ScheduleSection key={`${status.schedule.enabled}-${status.schedule.hour}-${status.schedule.keep}`} />

      <RetentionSection reloadKey={`${status.state}-${status.lastBackupAt ?? ''}`} />

      {restoring && (
        <ConfirmDialog
          title={t('storage.restoreTitle')}
          confirmLabel={t('storage.restore')}
          danger
          onConfirm={() => restore(restoring)}
          onCancel={() => setRestoring(null)}
          testId="storage-restore"
        >
          <p>{t('storage.restoreQuestion', { time: when(restoring.ts) })}</p>
        </ConfirmDialog>
      )}
      {startingEmpty && (
        <ConfirmDialog
          title={t('storage.startEmpty')}
          confirmLabel={t('storage.startEmptyConfirm')}
          danger
          onConfirm={startEmpty}
          onCancel={() => setStartingEmpty(false)}
          testId="storage-start-empty"
        >
          <p>{t('storage.startEmptyQuestion')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** The daily backup: on or off, the hour, how many to keep; Save sends storage.configureBackups. */
function ScheduleSection() {
  const { t } = useTranslation();
  const saved = useSettingsStore((state) => state.storage?.schedule);
  const [form, setForm] = useState<ScheduleForm>(() => scheduleToForm(saved ?? { enabled: false, hour: 2, keep: 14 }));
  const [errors, setErrors] = useState<ScheduleErrors>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);
  if (!saved) return null;
  const change = (patch: Partial<ScheduleForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setResult(null);
  };

  const save = async () => {
    const parsed = formToSchedule(form);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await bridge.call('storage.configureBackups', parsed.schedule);
      setResult({ tone: 'good', text: t('storage.scheduleSaved') });
      void loadStorageStatus();
    } catch (failure) {
      setResult({ tone: 'bad', text: callErrorMessage(failure, t('error.internal')) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="storage-section">
      <h4 className="storage-subtitle">{t('storage.schedule')}</h4>
      <div className="storage-schedule">
        <label className="check storage-schedule-check">
          <input type="checkbox" checked={form.enabled} onChange={(event) => change({ enabled: event.target.checked })} data-testid="storage-schedule-enabled" />
          {t('storage.scheduleEnabled')}
        </label>
        <Field label={t('storage.scheduleHour')} error={errors.hour} className="storage-narrow">
          <TextInput value={form.hour} onChange={(hour) => change({ hour })} numeric invalid={Boolean(errors.hour)} disabled={!form.enabled} testId="storage-schedule-hour" />
        </Field>
        <Field label={t('storage.scheduleKeep')} error={errors.keep} className="storage-narrow">
          <TextInput value={form.keep} onChange={(keep) => change({ keep })} numeric invalid={Boolean(errors.keep)} disabled={!form.enabled} testId="storage-schedule-keep" />
        </Field>
        <button type="button" className="btn storage-schedule-save" onClick={() => void save()} disabled={busy || !scheduleChanged(form, saved)} data-testid="storage-schedule-save">
          {t('storage.scheduleSave')}
        </button>
      </div>
      {result && <Notice tone={result.tone}>{result.text}</Notice>}
    </div>
  );
}
