// Settings → Storage → History kept: the database size, what each stored form holds (raw samples,
// 1-minute and 1-hour summaries: values, size, oldest), how long each class of point keeps each form
// (days, or forever) with Save, and about how much the saved settings will free.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RetentionStatus } from '../../../../shared/contract/historian-calls.ts';
import { POINT_KINDS, type PointKind } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { useMessage } from '../../app/use-message.ts';
import { formatBytes } from '../../format/format-bytes.ts';
import { Notice } from '../../ui/Notice.tsx';
import {
  formToRetention,
  RETENTION_FIELDS,
  retentionChanged,
  retentionToForm,
  type RetentionErrors,
  type RetentionField,
  type RetentionForm,
} from './retention-form.ts';

type Result = { tone: 'good' | 'bad'; text: string } | null;

const FORM_OF_FIELD: Record<RetentionField, 'raw' | '1m' | '1h'> = { rawDays: 'raw', minuteDays: '1m', hourDays: '1h' };

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function formatDate(ts: number, locale: string): string {
  let format = dateFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(locale, format);
  }
  return format.format(ts);
}

/** `reloadKey` changes when the database may have changed under the panel (a restore, a backup). */
export function RetentionSection({ reloadKey }: { reloadKey: string }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<RetentionStatus | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Kept here: saving new settings starts the form afresh from them, and the result must outlive that.
  const [result, setResult] = useState<Result>(null);

  const load = async () => {
    try {
      setStatus(await bridge.call('historian.retention', {}));
      setProblem(null);
    } catch (failure) {
      setProblem(callErrorMessage(failure, t('error.internal')));
    }
  };
  useEffect(() => {
    void load();
  }, [reloadKey]);

  const numbers = new Intl.NumberFormat(i18n.language);
  return (
    <div className="storage-section" data-testid="storage-retention">
      <h4 className="storage-subtitle">{t('storage.retention.title')}</h4>
      {problem && (
        <Notice tone="bad" testId="storage-retention-problem">
          {problem}
        </Notice>
      )}
      {!status && !problem && <span className="spinner" aria-hidden="true" />}
      {status && (
        <>
          <table className="data-table storage-forms">
            <thead>
              <tr>
                <th>{t('storage.retention.form')}</th>
                <th className="storage-number">{t('storage.retention.rows')}</th>
                <th className="storage-number">{t('storage.retention.bytes')}</th>
                <th>{t('storage.retention.oldest')}</th>
              </tr>
            </thead>
            <tbody>
              {status.forms.map((form) => (
                <tr key={form.resolution} data-testid={`storage-form-${form.resolution}`}>
                  <td>{t(`storage.retention.form.${form.resolution}`)}</td>
                  <td className="storage-number">{numbers.format(form.rows)}</td>
                  <td className="storage-number">{formatBytes(form.bytes)}</td>
                  <td>{form.oldest === null ? t('storage.retention.none') : formatDate(form.oldest, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="storage-share" data-testid="storage-history-share">
            {t('storage.retention.share', {
              history: formatBytes(status.forms.reduce((sum, form) => sum + form.bytes, 0)),
              database: formatBytes(status.databaseBytes),
            })}{' '}
            <span className="field-hint">{t('storage.retention.estimated')}</span>
          </p>
          <RetentionSettingsForm key={JSON.stringify(status.settings)} status={status} onSaved={setStatus} result={result} setResult={setResult} />
        </>
      )}
    </div>
  );
}

/** Days (or forever) per class and form, Save, and what the saved settings will free. */
interface SettingsFormProps {
  status: RetentionStatus;
  onSaved(status: RetentionStatus): void;
  result: Result;
  setResult(result: Result): void;
}

function RetentionSettingsForm({ status, onSaved, result, setResult }: SettingsFormProps) {
  const { t } = useTranslation();
  const say = useMessage();
  const [form, setForm] = useState<RetentionForm>(() => retentionToForm(status.settings));
  const [errors, setErrors] = useState<RetentionErrors>({});
  const [busy, setBusy] = useState(false);

  const change = (kind: PointKind, field: RetentionField, patch: Partial<RetentionForm[PointKind][RetentionField]>) => {
    setForm((current) => ({ ...current, [kind]: { ...current[kind], [field]: { ...current[kind][field], ...patch } } }));
    setResult(null);
  };

  const save = async () => {
    const parsed = formToRetention(form);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    setResult(null);
    try {
      const saved = await bridge.call('historian.configureRetention', parsed.settings);
      setResult({ tone: 'good', text: t('storage.retention.saved') });
      onSaved(saved);
    } catch (failure) {
      setResult({ tone: 'bad', text: callErrorMessage(failure, t('error.internal')) });
    } finally {
      setBusy(false);
    }
  };

  const orderErrors = POINT_KINDS.flatMap((kind) => (errors[kind] ? [errors[kind]] : []));
  return (
    <>
      <h4 className="storage-subtitle">{t('storage.retention.settings')}</h4>
      <table className="data-table storage-retention-settings">
        <thead>
          <tr>
            <th>{t('storage.retention.class')}</th>
            {RETENTION_FIELDS.map((field) => (
              <th key={field}>
                {t(`storage.retention.form.${FORM_OF_FIELD[field]}`)}
                <span className="storage-unit">{t('storage.retention.inDays')}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {POINT_KINDS.map((kind) => (
            <tr key={kind} data-testid={`storage-retention-${kind}`}>
              <td className="storage-retention-class">
                {t(`storage.retention.class.${kind}`)}
                <span className="storage-class-hint">{t(`storage.retention.classHint.${kind}`)}</span>
              </td>
              {RETENTION_FIELDS.map((field) => {
                const cell = form[kind][field];
                const error = errors[`${kind}.${field}`];
                const label = `${t(`storage.retention.class.${kind}`)} — ${t(`storage.retention.form.${FORM_OF_FIELD[field]}`)}`;
                return (
                  <td key={field} className="storage-retention-cell">
                    <input
                        type="text"
                        className="input storage-days-input"
                        inputMode="numeric"
                        value={cell.forever ? '' : cell.days}
                        placeholder={cell.forever ? '—' : undefined}
                        disabled={cell.forever}
                        onChange={(event) => change(kind, field, { days: event.target.value })}
                        aria-label={label}
                        aria-invalid={error ? 'true' : undefined}
                        data-testid={`storage-retention-${kind}-${field}`}
                        autoComplete="off"
                        spellCheck={false}
                      />
                    <label className="check storage-forever">
                      <input
                        type="checkbox"
                        checked={cell.forever}
                        onChange={(event) => change(kind, field, { forever: event.target.checked })}
                        data-testid={`storage-retention-${kind}-${field}-forever`}
                      />
                      {t('storage.retention.forever')}
                    </label>
                    {error && (
                      <span className="field-error" role="alert">
                        {say(error)}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {orderErrors.map((error) => (
        <Notice key={error.key} tone="bad">
          {say(error)}
        </Notice>
      ))}
      <p className="storage-freeable" data-testid="storage-freeable">
        {status.freeableBytes > 0 ? t('storage.retention.freeable', { size: formatBytes(status.freeableBytes) }) : t('storage.retention.nothingToFree')}
      </p>
      <p className="field-hint">{t('storage.retention.reuse')}</p>
      <p className="field-hint">{t('storage.retention.adminOnly')}</p>
      <div className="storage-retention-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => void save()}
          disabled={busy || !retentionChanged(form, status.settings)}
          data-testid="storage-retention-save"
        >
          {busy && <span className="spinner-small" aria-hidden="true" />}
          {t('storage.retention.save')}
        </button>
      </div>
      {result && (
        <Notice tone={result.tone} testId="storage-retention-result">
          {result.text}
        </Notice>
      )}
    </>
  );
}
