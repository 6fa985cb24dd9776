// The bar above the dashboard: which dashboard (a picker), whether it is built in, when its figures
// were last computed, and what can be done with it; while editing, its name in both languages, Add
// widget, Cancel and Save.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { pickLocale } from '../../../../shared/i18n/index.ts';
import { formatClock } from '../../format/format-time.ts';
import { CopyIcon, DeleteIcon } from '../../ui/icons.tsx';
import { useOverviewFeeds } from '../widgets/index.ts';
import { copyDashboard, exportDashboard, openDashboard, saveDraft, startEditing, stopEditing, updateDraft } from './dashboard-actions.ts';
import { useDashboardStore } from './dashboard-store.ts';

interface DashboardToolbarProps {
  onAdd(): void;
  onImport(): void;
  onDelete(): void;
}

function UpdatedAt() {
  const { t, i18n } = useTranslation();
  const computedAt = useOverviewFeeds((state) => Math.max(0, ...Object.values(state.feeds).map((feed) => feed?.overview?.computedAt ?? 0)));
  if (computedAt === 0) return null;
  return (
    <span className="dashboard-updated muted" data-testid="dashboard-updated">
      {t('dashboard.updated', { time: formatClock(computedAt, i18n.language) })}
    </span>
  );
}

export function DashboardToolbar({ onAdd, onImport, onDelete }: DashboardToolbarProps) {
  const { t, i18n } = useTranslation();
  const locale = pickLocale(i18n.language);
  const source = useDashboardStore((state) => state.source);
  const list = useDashboardStore((state) => state.list);
  const view = useDashboardStore((state) => state.view);
  const draft = useDashboardStore((state) => state.draft);
  const busy = useDashboardStore((state) => state.busy);
  const stored = source === 'stored';
  const changed = useMemo(() => draft !== null && view !== null && JSON.stringify(draft) !== JSON.stringify(view.dashboard), [draft, view]);
  const nameOf = (name: { en: string; 'zh-CN': string }) => (locale === 'en' ? name.en : name['zh-CN']);

  if (draft) {
    return (
      <div className="dashboard-toolbar is-editing" data-testid="dashboard-toolbar">
        <label className="dashboard-name">
          <span className="field-label">{t('dashboard.nameZh')}</span>
          <input
            className="input"
            value={draft.name['zh-CN']}
            maxLength={80}
            onChange={(event) => updateDraft((current) => ({ ...current, name: { ...current.name, 'zh-CN': event.target.value } }))}
            data-testid="dashboard-name-zh"
          />
        </label>
        <label className="dashboard-name">
          <span className="field-label">{t('dashboard.nameEn')}</span>
          <input
            className="input"
            value={draft.name.en}
            maxLength={80}
            onChange={(event) => updateDraft((current) => ({ ...current, name: { ...current.name, en: event.target.value } }))}
            data-testid="dashboard-name-en"
          />
        </label>
        <button type="button" className="btn" onClick={onAdd} data-testid="dashboard-add-widget">
          + {t('dashboard.addWidget')}
        </button>
        <span className="spacer" />
        {changed && <span className="dashboard-unsaved" data-testid="dashboard-unsaved">{t('dashboard.unsaved')}</span>}
        <button type="button" className="btn" onClick={stopEditing} disabled={busy} data-testid="dashboard-cancel">
          {t('common.cancel')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void saveDraft()} disabled={busy || draft.name.en.trim() === '' || draft.name['zh-CN'].trim() === ''} data-testid="dashboard-save">
          {busy && <span className="spinner spinner-small" aria-hidden="true" />}
          {t('dashboard.save')}
        </button>
      </div>
    );
  }

  const builtIn = view?.builtIn ?? true;
  // Read-only while the template it came with has its licence locked: shown, copied, exported, not changed.
  const lockedReason = view?.lockedBy?.reason;
  return (
    <div className="dashboard-toolbar" data-testid="dashboard-toolbar">
      <label className="dashboard-picker">
        <span className="visually-hidden">{t('dashboard.picker')}</span>
        <select
          className="select"
          value={view?.dashboard.id ?? ''}
          onChange={(event) => void openDashboard(event.target.value)}
          disabled={!stored || busy || list.length < 2}
          data-testid="dashboard-picker"
        >
          {list.map((summary) => (
            <option key={summary.id} value={summary.id}>
              {nameOf(summary.name)}
              {summary.builtIn ? ` · ${t('dashboard.builtIn')}` : ''}
              {summary.lockedBy ? ` · ${t('kpidefs.readOnly')}` : ''}
            </option>
          ))}
        </select>
      </label>
      {builtIn && <span className="dashboard-hint muted">{stored ? t('dashboard.builtInHint') : t('dashboard.notStored')}</span>}
      <UpdatedAt />
      <span className="spacer" />
      <button type="button" className="btn" onClick={() => void copyDashboard()} disabled={!stored || busy || !view} title={t('dashboard.copyTitle')} data-testid="dashboard-copy">
        <CopyIcon />
        {t('dashboard.copy')}
      </button>
      {!builtIn && (
        <button type="button" className="btn" onClick={startEditing} disabled={busy || lockedReason !== undefined} title={lockedReason} data-testid="dashboard-edit">
          {t('dashboard.edit')}
        </button>
      )}
      <button type="button" className="btn" onClick={() => void exportDashboard()} disabled={!view} data-testid="dashboard-export">
        {t('dashboard.export')}
      </button>
      <button type="button" className="btn" onClick={onImport} disabled={!stored || busy} data-testid="dashboard-import-open">
        {t('dashboard.import')}
      </button>
      {!builtIn && (
        <button
          type="button"
          className="btn btn-danger"
          onClick={onDelete}
          disabled={busy || lockedReason !== undefined}
          data-testid="dashboard-delete-open"
          title={lockedReason ?? t('dashboard.delete')}
          aria-label={t('dashboard.delete')}
        >
          <DeleteIcon />
        </button>
      )}
    </div>
  );
}
