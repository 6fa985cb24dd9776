// The stops of the current shift for one machine or all, for the operator at the PC or a shift tablet:
// each stop with its start, duration, kind (planned, unplanned, short) and reason, the stop going on
// now on top, and big buttons with the machine's reasons to give the chosen stop its reason or change
// it. A reason given here is in the OEE losses by reason on the next read of the figures.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StopView } from '../../../../shared/contract/kpi-calls.ts';
import type { StopReason } from '../../../../shared/domain/machines.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatClock } from '../../format/format-time.ts';
import { refreshFeeds } from '../widgets/overview-feed.ts';
import { useOverview } from '../widgets/use-overview.ts';
import { WidgetMessage } from '../widgets/WidgetMessage.tsx';
import { rememberReasons } from './reason-catalogue.ts';
import { formatStopDuration, reasonName, stopKey, stopRows, type StopRow } from './stop-rows.ts';
import './stops.css';

/** How often the list is read again while the figures update (a reason given here reloads it at once). */
const STOPS_REFRESH_MS = 10_000;

interface MachineStops {
  machineId: string;
  machineName: string;
  stops: StopView[];
  reasons: StopReason[];
}

/** The stops list of the current shift; machineId null: every machine of the KPI engine. */
export function StopList({ machineId }: { machineId: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const period = useOverview('shift', (feed) => feed.overview?.period);
  const computedAt = useOverview('shift', (feed) => feed.overview?.computedAt);
  const machineList = useOverview('shift', (feed) => feed.overview?.machines);
  const machines = useMemo(
    () => (machineList ?? []).filter((machine) => machineId === null || machine.machineId === machineId).map((machine) => ({ id: machine.machineId, name: machine.name })),
    [machineList, machineId],
  );
  const [lists, setLists] = useState<MachineStops[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);

  const from = period?.from;
  const to = period && computedAt !== undefined ? Math.max(period.from, Math.min(period.to, computedAt)) : undefined;
  const machineKey = machines.map((machine) => `${machine.id}\t${machine.name}`).join('\n');
  // Read again every few seconds of the core's clock, not on every read of the figures: a plant of
  // 50 machines refreshing each second would otherwise ask for 50 lists a second.
  const latestTo = useRef(to);
  latestTo.current = to;
  const tick = computedAt === undefined ? undefined : Math.floor(computedAt / STOPS_REFRESH_MS);

  useEffect(() => {
    const to = latestTo.current;
    if (from === undefined || to === undefined || tick === undefined) return;
    let cancelled = false;
    Promise.all(
      machines.map(async (machine) => {
        const answer = await bridge.call('stops.list', { machineId: machine.id, from, to, includeMicro: true, limit: 500 });
        return { machineId: machine.id, machineName: machine.name, stops: answer.stops, reasons: answer.reasons };
      }),
    ).then(
      (answers) => {
        if (cancelled) return;
        setLists(answers);
        setFailure(null);
        if (answers[0]) rememberReasons(answers[0].reasons);
      },
      (error: unknown) => {
        if (!cancelled) setFailure(callErrorMessage(error, t('stops.failedGeneric')));
      },
    );
    return () => {
      cancelled = true;
    };
    // machineKey stands for machines; `to` moves with every read of the figures.
  }, [machineKey, from, tick, reload, t]);

  const rows = useMemo(() => stopRows(lists ?? []), [lists]);
  // The chosen stop, else the one going on now, else the newest without a reason.
  const selected = rows.find((row) => stopKey(row) === chosen) ?? rows.find((row) => row.open && !row.micro) ?? rows.find((row) => !row.micro && row.reason === null) ?? null;
  const reasonsOf = useCallback((row: StopRow) => lists?.find((list) => list.machineId === row.machineId)?.reasons ?? [], [lists]);

  const give = async (row: StopRow, reason: string | null) => {
    setBusy(true);
    try {
      await bridge.call('stops.setReason', { machineId: row.machineId, stopStart: row.start, reason });
      setFailure(null);
      setReload((count) => count + 1);
      refreshFeeds();
    } catch (error) {
      setFailure(callErrorMessage(error, t('stops.failedGeneric')));
    } finally {
      setBusy(false);
    }
  };

  if (machineId !== null && machineList && machines.length === 0) return <WidgetMessage tone="bad" title={t('widget.machineNotFound', { machine: machineId })} />;
  if (!period || lists === null) {
    return failure ? <WidgetMessage tone="bad" title={failure} /> : <WidgetMessage tone="muted" title={t('widget.loading')} />;
  }
  if (rows.length === 0) return <WidgetMessage title={t('stops.none')} hint={t('stops.noneHint')} testId="stops-none" />;

  const selectedReasons = selected ? reasonsOf(selected) : [];
  return (
    <div className="stops" data-testid="stop-list">
      <ul className="stops-rows">
        {rows.map((row) => {
          const key = stopKey(row);
          const name = reasonName(row.reason, reasonsOf(row), locale);
          const isSelected = selected !== null && stopKey(selected) === key;
          return (
            <li key={key}>
              <button
                type="button"
                className={`stop-row stop-row-${row.kind}${row.open ? ' stop-row-open' : ''}${isSelected ? ' stop-row-selected' : ''}`}
                aria-pressed={isSelected}
                disabled={row.micro}
                onClick={() => setChosen(key)}
                data-testid="stop-row"
                data-machine={row.machineId}
                data-open={row.open}
                data-reason={row.reason ?? ''}
              >
                {machineId === null && <span className="stop-machine">{row.machineName}</span>}
                <span className="stop-start">{formatClock(row.start, locale)}</span>
                <span className="stop-duration">{row.open ? t('stops.ongoing', { duration: formatStopDuration(row.durationMs) }) : formatStopDuration(row.durationMs)}</span>
                <span className={`stop-kind stop-kind-${row.kind}`}>{t(`stops.kind.${row.kind}`)}</span>
                <span className={`stop-reason${name === null ? ' stop-reason-none' : ''}`} data-testid="stop-reason">
                  {row.micro ? t('stops.microNoReason') : (name ?? t('loss.unassigned'))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {selected && (
        <section className="stop-reasons" aria-label={t('stops.pickReason')} data-testid="stop-reasons">
          <div className="stop-reasons-head">
            {t('stops.reasonFor', { machine: selected.machineName, start: formatClock(selected.start, locale) })}
          </div>
          <div className="stop-reason-buttons">
            {selectedReasons.map((reason) => (
              <button
                key={reason.code}
                type="button"
                className={`stop-reason-button${selected.reason === reason.code ? ' stop-reason-button-on' : ''}${reason.planned ? ' stop-reason-button-planned' : ''}`}
                aria-pressed={selected.reason === reason.code}
                disabled={busy}
                onClick={() => void give(selected, reason.code)}
                data-testid={`reason-${reason.code}`}
              >
                {locale.startsWith('zh') ? reason.zh : reason.en}
              </button>
            ))}
            {selected.reason !== null && (
              <button type="button" className="stop-reason-button stop-reason-clear" disabled={busy} onClick={() => void give(selected, null)} data-testid="reason-clear">
                {t('stops.clearReason')}
              </button>
            )}
          </div>
        </section>
      )}
      {failure && (
        <div className="stops-failure" role="alert" data-testid="stops-failure">
          {failure}
        </div>
      )}
    </div>
  );
}
