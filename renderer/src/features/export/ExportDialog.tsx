// The export screen: the chosen points over the chosen range to CSV or Excel — layout and values
// first, then a progress bar with Cancel while the core writes the file in the background, then the
// download. Closing the window while the file is being written cancels the export.
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  EXPORT_FORMATS,
  EXPORT_LAYOUTS,
  EXPORT_RESOLUTIONS,
  type ExportFormat,
  type ExportLayout,
  type ExportResolution,
  type ExportStatus,
} from '../../../../shared/contract/calls.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatBytes } from '../../format/format-bytes.ts';
import { formatDateTime } from '../../format/format-time.ts';
import { formatNumber } from '../../format/format-value.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { downloadLink } from './deliver-file.ts';
import { downloadUrl, progressPercent, screenTimeZone, suggestedResolution } from './export-plan.ts';
import './export.css';

export interface ExportPoint {
  pointId: string;
  name: string;
  deviceName: string;
  unit: string;
  color?: string;
}

interface ExportDialogProps {
  points: readonly ExportPoint[];
  from: number;
  to: number;
  onClose(): void;
}

type Stage =
  | { kind: 'options'; error: string | null }
  | { kind: 'running'; jobId: string; status: Pick<ExportStatus, 'state' | 'rowsWritten' | 'totalRowsEstimate'>; cancelling: boolean }
  | { kind: 'done'; jobId: string; status: ExportStatus; downloadError: string | null }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

/** How often the status is read while an export runs, besides its progress events (which a reconnect can lose). */
const STATUS_POLL_MS = 1000;

export function ExportDialog({ points, from, to, onClose }: ExportDialogProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [layout, setLayout] = useState<ExportLayout>('wide');
  const [resolution, setResolution] = useState<ExportResolution>(() => suggestedResolution(to - from));
  const [stage, setStage] = useState<Stage>({ kind: 'options', error: null });
  const [starting, setStarting] = useState(false);
  const timeZone = useRef(screenTimeZone()).current;
  const runningJob = stage.kind === 'running' ? stage.jobId : null;

  const deliver = useCallback(
    async (status: ExportStatus) => {
      try {
        downloadLink(downloadUrl(status.jobId, window.location.search), status.fileName);
        setStage({ kind: 'done', jobId: status.jobId, status, downloadError: null });
      } catch (error) {
        setStage({ kind: 'done', jobId: status.jobId, status, downloadError: callErrorMessage(error, t('error.internal')) });
      }
    },
    [t],
  );

  // While the file is written: progress events, and the status now and then, until it stops.
  useEffect(() => {
    if (!runningJob) return;
    let finished = false;
    const settle = (status: ExportStatus) => {
      if (finished || status.state === 'running') return;
      finished = true;
      if (status.state === 'done') void deliver(status);
      else if (status.state === 'failed') setStage({ kind: 'failed', message: status.error ?? t('exportDialog.failed') });
      else setStage({ kind: 'cancelled' });
    };
    const readStatus = async () => {
      try {
        const status = await bridge.call('historian.exportStatus', { jobId: runningJob });
        if (finished) return;
        if (status.state === 'running') {
          setStage((current) => (current.kind === 'running' && current.jobId === runningJob ? { ...current, status } : current));
        } else settle(status);
      } catch (error) {
        if (finished) return;
        finished = true;
        setStage({ kind: 'failed', message: callErrorMessage(error, t('error.internal')) });
      }
    };
    const stop = bridge.on('export.progressed', (progress) => {
      if (progress.jobId !== runningJob || finished) return;
      if (progress.state === 'running') {
        setStage((current) => (current.kind === 'running' && current.jobId === runningJob ? { ...current, status: progress } : current));
      } else void readStatus();
    });
    const timer = setInterval(() => void readStatus(), STATUS_POLL_MS);
    void readStatus();
    return () => {
      finished = true;
      stop();
      clearInterval(timer);
    };
  }, [runningJob, deliver, t]);

  const start = async () => {
    setStarting(true);
    try {
      const { jobId } = await bridge.call('historian.startExport', {
        pointIds: points.map((point) => point.pointId),
        from: Math.floor(from),
        to: Math.ceil(to),
        format,
        layout,
        resolution,
        ...(timeZone ? { timeZone } : {}),
      });
      setStage({ kind: 'running', jobId, status: { state: 'running', rowsWritten: 0, totalRowsEstimate: 0 }, cancelling: false });
    } catch (error) {
      setStage({ kind: 'options', error: callErrorMessage(error, t('error.internal')) });
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    if (stage.kind !== 'running') return;
    setStage({ ...stage, cancelling: true });
    try {
      await bridge.call('historian.cancelExport', { jobId: stage.jobId });
    } catch (error) {
      setStage({ kind: 'failed', message: callErrorMessage(error, t('error.internal')) });
    }
  };

  const close = () => {
    // A file nobody will download is not written to the end.
    if (stage.kind === 'running') void bridge.call('historian.cancelExport', { jobId: stage.jobId }).catch(() => undefined);
    onClose();
  };

  const number = (value: number) => formatNumber(value, 0, locale);

  let body: ReactNode;
  let footer: ReactNode;
  if (stage.kind === 'options') {
    body = (
      <>
        <ExportSummary points={points} from={from} to={to} timeZone={timeZone} />
        <Choice<ExportFormat>
          legend={t('exportDialog.format')}
          name="export-format"
          options={EXPORT_FORMATS.map((value) => ({ value, label: t(`exportDialog.format.${value}`) }))}
          value={format}
          onChange={setFormat}
        />
        <Choice<ExportLayout>
          legend={t('exportDialog.layout')}
          name="export-layout"
          options={EXPORT_LAYOUTS.map((value) => ({ value, label: t(`exportDialog.layout.${value}`), hint: t(`exportDialog.layout.${value}Hint`) }))}
          value={layout}
          onChange={setLayout}
        />
        <Choice<ExportResolution>
          legend={t('exportDialog.resolution')}
          name="export-resolution"
          options={EXPORT_RESOLUTIONS.map((value) => ({ value, label: t(`exportDialog.resolution.${value}`) }))}
          value={resolution}
          onChange={setResolution}
        />
        {stage.error && (
          <Notice tone="bad" testId="export-error">
            {stage.error}
          </Notice>
        )}
      </>
    );
    footer = (
      <>
        <button type="button" className="btn" onClick={close}>
          {t('common.cancel')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={starting || points.length === 0} data-testid="export-start">
          {starting && <span className="spinner spinner-small" aria-hidden="true" />}
          {t('exportDialog.start')}
        </button>
      </>
    );
  } else if (stage.kind === 'running') {
    const percent = progressPercent(stage.status);
    const { rowsWritten, totalRowsEstimate } = stage.status;
    body = (
      <div className="export-progress" data-testid="export-progress">
        <p>
          {totalRowsEstimate > 0
            ? t('exportDialog.running', { done: number(rowsWritten), total: number(totalRowsEstimate) })
            : t('exportDialog.preparing')}
        </p>
        <div
          className={`progress${percent === null ? ' is-indeterminate' : ''}`}
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-label={t('exportDialog.title')}
        >
          <div className="progress-bar" style={{ width: `${percent ?? 30}%` }} />
        </div>
      </div>
    );
    footer = (
      <button type="button" className="btn btn-danger" onClick={() => void cancel()} disabled={stage.cancelling} data-testid="export-cancel">
        {stage.cancelling && <span className="spinner spinner-small" aria-hidden="true" />}
        {t('exportDialog.cancel')}
      </button>
    );
  } else if (stage.kind === 'done') {
    const { status } = stage;
    body = (
      <>
        <Notice tone="good" testId="export-done">
          {t('exportDialog.done', { file: status.fileName, rows: number(status.rowsWritten), size: formatBytes(status.sizeBytes ?? 0) })}
        </Notice>
        {stage.downloadError && (
          <Notice tone="bad" testId="export-error">
            {stage.downloadError}
          </Notice>
        )}
      </>
    );
    footer = (
      <>
        <button type="button" className="btn" onClick={() => setStage({ kind: 'options', error: null })}>
          {t('exportDialog.again')}
        </button>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void deliver(status)} data-testid="export-download">
          {t('exportDialog.download')}
        </button>
        <button type="button" className="btn btn-primary" onClick={close}>
          {t('common.close')}
        </button>
      </>
    );
  } else {
    body =
      stage.kind === 'failed' ? (
        <Notice tone="bad" testId="export-error">
          {stage.message}
        </Notice>
      ) : (
        <Notice tone="info" testId="export-cancelled">
          {t('exportDialog.cancelled')}
        </Notice>
      );
    footer = (
      <>
        <button type="button" className="btn" onClick={() => setStage({ kind: 'options', error: null })}>
          {t('exportDialog.again')}
        </button>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={close}>
          {t('common.close')}
        </button>
      </>
    );
  }

  return (
    <Dialog title={t('exportDialog.title')} size="medium" onClose={close} testId="export-dialog" footer={footer}>
      {body}
    </Dialog>
  );
}

/** What will be exported: the points (with their line colours) and the range, in local time. */
function ExportSummary({ points, from, to, timeZone }: { points: readonly ExportPoint[]; from: number; to: number; timeZone: string | undefined }) {
  const { t, i18n } = useTranslation();
  return (
    <dl className="export-summary">
      <dt>{t('exportDialog.points')}</dt>
      <dd>
        <ul className="export-points">
          {points.map((point) => (
            <li key={point.pointId}>
              {point.color && <span className="export-swatch" style={{ background: point.color }} aria-hidden="true" />}
              <span className="export-device">{point.deviceName}</span>
              {point.name}
              {point.unit && <span className="muted"> ({point.unit})</span>}
            </li>
          ))}
        </ul>
      </dd>
      <dt>{t('exportDialog.range')}</dt>
      <dd data-testid="export-range">
        {formatDateTime(from, i18n.language)} – {formatDateTime(to, i18n.language)}
        {timeZone && <div className="muted export-zone">{t('exportDialog.timeNote', { timeZone })}</div>}
      </dd>
    </dl>
  );
}

interface ChoiceProps<Value extends string> {
  legend: string;
  name: string;
  options: { value: Value; label: string; hint?: string }[];
  value: Value;
  onChange(value: Value): void;
}

/** A labelled group of radio buttons, drawn as side-by-side options. */
function Choice<Value extends string>({ legend, name, options, value, onChange }: ChoiceProps<Value>) {
  return (
    <fieldset className="export-choice">
      <legend>{legend}</legend>
      <div className="export-options">
        {options.map((option) => (
          <label key={option.value} className={`export-option${option.value === value ? ' is-checked' : ''}`}>
            <input type="radio" name={name} value={option.value} checked={option.value === value} onChange={() => onChange(option.value)} />
            <span className="export-option-text">
              <span>{option.label}</span>
              {option.hint && <span className="export-option-hint">{option.hint}</span>}
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
