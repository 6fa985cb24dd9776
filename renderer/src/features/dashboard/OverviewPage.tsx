// The Overview page, PlantDesk's start page: a dashboard — the built-in plant overview unless another
// was chosen here — live on a grid, with a picker, Copy, Edit layout (drag, resize, add, remove,
// Save), Delete, and Export / Import of the dashboard as a JSON file.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WidgetType } from '../../../../shared/domain/dashboards.ts';
import { pickLocale } from '../../../../shared/i18n/index.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { setFeedRefresh } from '../widgets/index.ts';
import { DashboardGrid } from './DashboardGrid.tsx';
import { DashboardToolbar } from './DashboardToolbar.tsx';
import { deleteDashboard, loadDashboards, selectWidget, updateDraft } from './dashboard-actions.ts';
import { useDashboardStore } from './dashboard-store.ts';
import { ImportDialog } from './ImportDialog.tsx';
import { newWidget } from './widget-form.ts';
import { WidgetDialog } from './WidgetDialog.tsx';
import './dashboard.css';

/** The banner over a dashboard of a template whose licence is locked: what it means and what to do. */
function LockedBanner({ templateName, reason }: { templateName: string; reason: string }) {
  const { t } = useTranslation();
  return (
    <div className="overview-notice" data-testid="dashboard-locked">
      <Notice tone="warn">
        <strong>{t('kpidefs.lockedBanner', { template: templateName })}</strong> {reason}
      </Notice>
    </div>
  );
}

type Open = { kind: 'add' } | { kind: 'settings'; widgetId: string } | { kind: 'import' } | { kind: 'delete' } | null;

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const source = useDashboardStore((state) => state.source);
  const view = useDashboardStore((state) => state.view);
  const draft = useDashboardStore((state) => state.draft);
  const notice = useDashboardStore((state) => state.notice);
  const [open, setOpen] = useState<Open>(null);
  const dashboard = draft ?? view?.dashboard ?? null;
  const editing = draft !== null;

  useEffect(() => {
    void loadDashboards();
  }, []);

  useEffect(() => {
    if (dashboard) setFeedRefresh(dashboard.refreshSeconds);
  }, [dashboard?.refreshSeconds]);

  const onSettings = useCallback((widgetId: string) => setOpen({ kind: 'settings', widgetId }), []);
  const onRemove = useCallback((widgetId: string) => {
    updateDraft((current) => ({ ...current, widgets: current.widgets.filter((widget) => widget.id !== widgetId) }));
    selectWidget(null);
  }, []);

  const editedWidget = open?.kind === 'settings' ? dashboard?.widgets.find((widget) => widget.id === open.widgetId) : undefined;
  const name = view ? (pickLocale(i18n.language) === 'en' ? view.dashboard.name.en : view.dashboard.name['zh-CN']) : '';

  return (
    <div className="overview-page" data-testid="overview-page" data-source={source}>
      <DashboardToolbar onAdd={() => setOpen({ kind: 'add' })} onImport={() => setOpen({ kind: 'import' })} onDelete={() => setOpen({ kind: 'delete' })} />
      {notice && (
        <div className="overview-notice" data-testid="dashboard-notice">
          <Notice tone={notice.tone}>{notice.text}</Notice>
        </div>
      )}
      {!editing && view?.lockedBy && <LockedBanner templateName={view.lockedBy.templateName} reason={view.lockedBy.reason} />}
      {editing && <p className="overview-edit-hint">{t('dashboard.editHint')}</p>}
      {dashboard ? (
        dashboard.widgets.length === 0 ? (
          <p className="panel-empty muted">{t('dashboard.empty')}</p>
        ) : (
          <DashboardGrid dashboard={dashboard} editing={editing} onSettings={onSettings} onRemove={onRemove} />
        )
      ) : (
        <div className="app-loading" aria-busy="true">
          <span className="spinner" aria-hidden="true" />
          {t('dashboard.loading')}
        </div>
      )}
      {open?.kind === 'add' && (
        <WidgetDialog
          onClose={() => setOpen(null)}
          onApply={({ type, options, title }: { type: WidgetType; options: unknown; title: unknown }) => {
            updateDraft((current) => {
              const widget = { ...newWidget(type, current.widgets, options), ...(title ? { title } : {}) };
              selectWidget(widget.id);
              return { ...current, widgets: [...current.widgets, widget as typeof current.widgets[number]] };
            });
            setOpen(null);
          }}
        />
      )}
      {open?.kind === 'settings' && editedWidget && (
        <WidgetDialog
          widget={editedWidget}
          onClose={() => setOpen(null)}
          onApply={({ options, title }) => {
            updateDraft((current) => ({
              ...current,
              widgets: current.widgets.map((widget) => {
                if (widget.id !== editedWidget.id) return widget;
                const { title: _old, ...rest } = widget;
                return { ...rest, options, ...(title ? { title } : {}) } as typeof widget;
              }),
            }));
            setOpen(null);
          }}
        />
      )}
      {open?.kind === 'import' && <ImportDialog onClose={() => setOpen(null)} />}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('dashboard.deleteTitle')}
          confirmLabel={t('dashboard.delete')}
          danger
          testId="dashboard-delete"
          onCancel={() => setOpen(null)}
          onConfirm={() => {
            setOpen(null);
            void deleteDashboard();
          }}
        >
          <p>{t('dashboard.deleteQuestion', { name })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
