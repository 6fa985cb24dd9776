// Adding a widget (choose its kind, then its settings) and changing one: its title in the UI language
// and the options of its kind — which figure and period, which machines, which points, how many bars.
// The options are checked with the same schema the core checks a saved dashboard with.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  BAR_KPIS,
  DASHBOARD_PERIODS,
  localizedText,
  MACHINE_KPIS,
  PLANT_KPIS,
  TREND_RANGES,
  WIDGET_OPTIONS,
  WIDGET_TYPES,
  type Widget,
  type WidgetType,
} from '../../../../shared/domain/dashboards.ts';
import { pickLocale } from '../../../../shared/i18n/index.ts';
import { isNumericPoint } from '../../format/format-value.ts';
import { useDevicesStore, usePointsStore } from '../../store/index.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { useOverviewFeeds } from '../widgets/index.ts';
import { useKpiDefinitions } from './use-kpi-definitions.ts';
import { defaultOptions, withTitle } from './widget-form.ts';

type Options = Record<string, unknown>;
type Source = { kind: 'plant' | 'machine' | 'kpi' | 'point'; kpi?: string; period?: string; machineId?: string; pointId?: string; kpiId?: string };
const SOURCE_LABELS = {
  plant: 'widget.settings.sourcePlant',
  machine: 'widget.settings.sourceMachine',
  kpi: 'kpidefs.sourceKpi',
  point: 'widget.settings.sourcePoint',
} as const;

interface WidgetDialogProps {
  /** The widget to change; without one the dialog adds a new widget. */
  widget?: Widget | undefined;
  onApply(result: { type: WidgetType; options: unknown; title: Widget['title'] }): void;
  onClose(): void;
}

/** The machines the KPI engine has named in any answer so far. */
function useKnownMachines(): { id: string; name: string }[] {
  const feeds = useOverviewFeeds((state) => state.feeds);
  return useMemo(() => {
    const machines = new Map<string, string>();
    for (const feed of Object.values(feeds)) for (const machine of feed?.overview?.machines ?? []) machines.set(machine.machineId, machine.name);
    return [...machines].map(([id, name]) => ({ id, name }));
  }, [feeds]);
}

export function WidgetDialog({ widget, onApply, onClose }: WidgetDialogProps) {
  const { t, i18n } = useTranslation();
  const locale = pickLocale(i18n.language);
  const points = usePointsStore((state) => state.points);
  const devices = useDevicesStore((state) => state.devices);
  const machines = useKnownMachines();
  const kpiDefinitions = useKpiDefinitions();
  const storedKpis = kpiDefinitions.status === 'ready' ? kpiDefinitions.choices : [];
  // Measurements first: a new tile or trend starts on one (a spindle speed, a power), not on a state code.
  const numericPoints = useMemo(() => points.filter(isNumericPoint).sort((a, b) => Number(b.kind === 'analog') - Number(a.kind === 'analog')), [points]);
  const [type, setType] = useState<WidgetType | null>(widget?.type ?? null);
  const [options, setOptions] = useState<Options>(() => (widget ? structuredClone(widget.options) : {}) as Options);
  const [titleText, setTitleText] = useState(() => (widget ? (localizedText(widget.title, locale) ?? '') : ''));
  const [problem, setProblem] = useState<string | null>(null);

  const choose = (chosen: WidgetType) => {
    setType(chosen);
    setOptions(defaultOptions(chosen, { pointId: numericPoints[0]?.id }) as Options);
  };

  const set = (key: string, value: unknown) => setOptions((current) => ({ ...current, [key]: value }));
  const source = (options.source ?? {}) as Source;
  const setSource = (next: Source) => set('source', next);

  const apply = () => {
    if (!type) return;
    if (type === 'trend' && ((options.pointIds as string[] | undefined) ?? []).length === 0) {
      setProblem(t('widget.settings.noPoints'));
      return;
    }
    if ((type === 'valueTile' || type === 'gauge') && source.kind === 'kpi' && !source.kpiId) {
      setProblem(t('kpidefs.noDefinitions'));
      return;
    }
    const parsed = WIDGET_OPTIONS[type].safeParse(options, { error: (locale === 'en' ? z.locales.en : z.locales.zhCN)().localeError });
    if (!parsed.success) {
      setProblem(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
      return;
    }
    const title = widget?.title && localizedText(widget.title, locale) === titleText.trim() ? widget.title : withTitle(widget?.title, locale, titleText);
    onApply({ type, options: parsed.data, title });
  };

  const deviceName = (deviceId: string) => devices.find((device) => device.id === deviceId)?.name ?? deviceId;
  const pointLabel = (pointId: string) => {
    const point = points.find((candidate) => candidate.id === pointId);
    return point ? `${deviceName(point.deviceId)} · ${point.name}${point.unit ? ` (${point.unit})` : ''}` : pointId;
  };

  const periodSelect = (key: string, periods: readonly string[] = DASHBOARD_PERIODS) => (
    <label className="field">
      <span className="field-label">{t('widget.settings.period')}</span>
      <select className="select" value={String(options[key] ?? periods[0])} onChange={(event) => set(key, event.target.value)} data-testid="setting-period">
        {periods.map((period) => (
          <option key={period} value={period}>
            {t(`widget.periodOption.${period as 'shift'}`)}
          </option>
        ))}
      </select>
    </label>
  );

  const machineSelect = (key: string) => (
    <label className="field">
      <span className="field-label">{t('widget.settings.machine')}</span>
      <select className="select" value={String(options[key] ?? '')} onChange={(event) => set(key, event.target.value === '' ? null : event.target.value)} data-testid="setting-machine">
        <option value="">{t('widget.plant')}</option>
        {machines.map((machine) => (
          <option key={machine.id} value={machine.id}>
            {machine.name}
          </option>
        ))}
        {typeof options[key] === 'string' && !machines.some((machine) => machine.id === options[key]) && <option value={String(options[key])}>{String(options[key])}</option>}
      </select>
    </label>
  );

  const machineChecks = () => {
    const chosen = (options.machineIds as string[] | undefined) ?? [];
    return (
      <fieldset className="field widget-checks">
        <legend className="field-label">{t('widget.settings.machines')}</legend>
        {machines.length === 0 && <span className="field-hint">{t('widget.settings.machinesHint')}</span>}
        {machines.map((machine) => (
          <label key={machine.id} className="check">
            <input
              type="checkbox"
              checked={chosen.includes(machine.id)}
              onChange={(event) => set('machineIds', event.target.checked ? [...chosen, machine.id] : chosen.filter((id) => id !== machine.id))}
            />
            {machine.name}
          </label>
        ))}
        {machines.length > 0 && <span className="field-hint">{t('widget.settings.machinesHint')}</span>}
      </fieldset>
    );
  };

  const periodOfSource = () => (
    <label className="field">
      <span className="field-label">{t('widget.settings.period')}</span>
      <select className="select" value={source.period ?? 'shift'} onChange={(event) => setSource({ ...source, period: event.target.value })}>
        {DASHBOARD_PERIODS.map((period) => (
          <option key={period} value={period}>
            {t(`widget.periodOption.${period}`)}
          </option>
        ))}
      </select>
    </label>
  );

  const sourceFields = () => (
    <>
      <fieldset className="field">
        <legend className="field-label">{t('widget.settings.source')}</legend>
        <div className="segmented-row">
          {(['plant', 'machine', 'kpi', 'point'] as const).map((kind) => (
            <label key={kind} className="check">
              <input
                type="radio"
                name="source-kind"
                checked={source.kind === kind}
                onChange={() =>
                  setSource(
                    kind === 'point'
                      ? { kind, pointId: numericPoints[0]?.id ?? '' }
                      : kind === 'kpi'
                        ? { kind, kpiId: storedKpis[0]?.id ?? '', period: source.period ?? 'shift' }
                        : kind === 'machine'
                        ? { kind, machineId: machines[0]?.id ?? '', kpi: 'oee', period: source.period ?? 'shift' }
                        : { kind, kpi: 'oee', period: source.period ?? 'shift' },
                  )
                }
                data-testid={`setting-source-${kind}`}
              />
              {t(SOURCE_LABELS[kind])}
            </label>
          ))}
        </div>
      </fieldset>
      {source.kind === 'point' ? (
        <label className="field">
          <span className="field-label">{t('widget.settings.point')}</span>
          <select className="select" value={source.pointId ?? ''} onChange={(event) => setSource({ kind: 'point', pointId: event.target.value })} data-testid="setting-point">
            {numericPoints.map((point) => (
              <option key={point.id} value={point.id}>
                {pointLabel(point.id)}
              </option>
            ))}
          </select>
        </label>
      ) : source.kind === 'kpi' ? (
        <div className="form-grid">
          <label className="field">
            <span className="field-label">{t('kpidefs.kpi')}</span>
            <select className="select" value={source.kpiId ?? ''} onChange={(event) => setSource({ ...source, kpiId: event.target.value })} data-testid="setting-stored-kpi">
              {storedKpis.map((kpi) => (
                <option key={kpi.id} value={kpi.id}>
                  {kpi.unit ? `${kpi.name} (${kpi.unit})` : kpi.name}
                </option>
              ))}
              {source.kpiId && !storedKpis.some((kpi) => kpi.id === source.kpiId) && <option value={source.kpiId}>{source.kpiId}</option>}
            </select>
            {kpiDefinitions.status === 'ready' && storedKpis.length === 0 && <span className="field-hint">{t('kpidefs.noDefinitions')}</span>}
            {kpiDefinitions.status === 'failed' && <span className="field-hint">{t('widget.kpiFailed', { reason: kpiDefinitions.message })}</span>}
          </label>
          {periodOfSource()}
        </div>
      ) : (
        <div className="form-grid">
          {source.kind === 'machine' && (
            <label className="field">
              <span className="field-label">{t('widget.settings.machine')}</span>
              <select className="select" value={source.machineId ?? ''} onChange={(event) => setSource({ ...source, machineId: event.target.value })}>
                {machines.map((machine) => (
                  <option key={machine.id} value={machine.id}>
                    {machine.name}
                  </option>
                ))}
                {source.machineId && !machines.some((machine) => machine.id === source.machineId) && <option value={source.machineId}>{source.machineId}</option>}
              </select>
            </label>
          )}
          <label className="field">
            <span className="field-label">{t('widget.settings.kpi')}</span>
            <select className="select" value={source.kpi ?? 'oee'} onChange={(event) => setSource({ ...source, kpi: event.target.value })} data-testid="setting-kpi">
              {(source.kind === 'machine' ? MACHINE_KPIS : PLANT_KPIS).map((kpi) => (
                <option key={kpi} value={kpi}>
                  {t(`kpi.${kpi}`)}
                </option>
              ))}
            </select>
          </label>
          {periodOfSource()}
        </div>
      )}
    </>
  );

  const numberField = (key: string, label: string, min: number, max: number) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        type="number"
        className="input"
        min={min}
        max={max}
        value={String(options[key] ?? '')}
        onChange={(event) => set(key, event.target.value === '' ? undefined : Number(event.target.value))}
        data-testid={`setting-${key}`}
      />
    </label>
  );

  const fields = () => {
    switch (type) {
      case 'valueTile':
        return sourceFields();
      case 'gauge':
        return (
          <>
            {sourceFields()}
            <div className="form-grid">
              {numberField('min', t('widget.settings.gaugeMin'), -1e9, 1e9)}
              {numberField('max', t('widget.settings.gaugeMax'), -1e9, 1e9)}
            </div>
            <span className="field-hint">{t('widget.settings.percentHint')}</span>
          </>
        );
      case 'machineStatus':
        return (
          <>
            {periodSelect('period')}
            {machineChecks()}
          </>
        );
      case 'stateTimeline':
        return (
          <>
            {periodSelect('period', ['shift', 'day'])}
            {machineChecks()}
          </>
        );
      case 'trend': {
        const chosen = (options.pointIds as string[] | undefined) ?? [];
        return (
          <>
            <label className="field">
              <span className="field-label">{t('widget.settings.range')}</span>
              <select className="select" value={String(options.range ?? 'lastHour')} onChange={(event) => set('range', event.target.value)}>
                {TREND_RANGES.map((range) => (
                  <option key={range} value={range}>
                    {t(`widget.range.${range}`)}
                  </option>
                ))}
              </select>
            </label>
            <fieldset className="field widget-checks widget-points">
              <legend className="field-label">{t('widget.settings.points')}</legend>
              {numericPoints.map((point) => (
                <label key={point.id} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(point.id)}
                    disabled={!chosen.includes(point.id) && chosen.length >= 8}
                    onChange={(event) => set('pointIds', event.target.checked ? [...chosen, point.id] : chosen.filter((id) => id !== point.id))}
                  />
                  {pointLabel(point.id)}
                </label>
              ))}
            </fieldset>
          </>
        );
      }
      case 'barByShift':
        return (
          <div className="form-grid">
            <label className="field">
              <span className="field-label">{t('widget.settings.kpi')}</span>
              <select className="select" value={String(options.kpi ?? 'oee')} onChange={(event) => set('kpi', event.target.value)}>
                {BAR_KPIS.map((kpi) => (
                  <option key={kpi} value={kpi}>
                    {t(`kpi.${kpi}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">{t('widget.settings.period')}</span>
              <select className="select" value={String(options.period ?? 'shift')} onChange={(event) => set('period', event.target.value)}>
                {(['shift', 'day'] as const).map((period) => (
                  <option key={period} value={period}>
                    {t(`widget.periodBars.${period}`)}
                  </option>
                ))}
              </select>
            </label>
            {numberField('count', t('widget.settings.bars'), 2, 14)}
            {machineSelect('machineId')}
          </div>
        );
      case 'oeeBreakdown':
        return (
          <div className="form-grid">
            {periodSelect('period')}
            {machineSelect('machineId')}
          </div>
        );
      case 'energyByMachine':
        return periodSelect('period');
      case 'alarmList':
        return numberField('max', t('widget.settings.maxAlarms'), 1, 50);
      case 'stopList':
        return machineSelect('machineId');
      default:
        return null;
    }
  };

  if (type === null) {
    return (
      <Dialog title={t('widget.add.title')} onClose={onClose} testId="widget-dialog">
        <ul className="widget-types">
          {WIDGET_TYPES.map((kind) => (
            <li key={kind}>
              <button type="button" className="widget-type" onClick={() => choose(kind)} data-testid={`add-${kind}`}>
                <span className="widget-type-name">{t(`widget.type.${kind}`)}</span>
                <span className="widget-type-about">{t(`widget.about.${kind}`)}</span>
              </button>
            </li>
          ))}
        </ul>
      </Dialog>
    );
  }

  return (
    <Dialog
      title={widget ? t('widget.settings.title') : t('widget.add.title')}
      subtitle={t(`widget.type.${type}`)}
      onClose={onClose}
      testId="widget-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={apply} data-testid="widget-apply">
            {widget ? t('widget.settings.apply') : t('widget.settings.add')}
          </button>
        </>
      }
    >
      <label className="field">
        <span className="field-label">{t('widget.settings.titleField')}</span>
        <input type="text" className="input" value={titleText} maxLength={80} onChange={(event) => setTitleText(event.target.value)} data-autofocus="" data-testid="setting-title" />
        <span className="field-hint">{t('widget.settings.titleHint')}</span>
      </label>
      {fields()}
      {problem && <Notice tone="bad">{problem}</Notice>}
    </Dialog>
  );
}
