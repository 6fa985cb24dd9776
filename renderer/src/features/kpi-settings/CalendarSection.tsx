// The shift calendar: the time zone, when a production day starts, the shifts per weekday with their
// breaks (a shift ending at or before its start runs over midnight), holidays and planned downtime.
import { useTranslation } from 'react-i18next';
import type { CalendarView } from '../../../../shared/contract/kpi-calls.ts';
import { ALL_WEEKDAYS, type Shift, type ShiftCalendar } from '../../../../shared/domain/calendar.ts';
import { DEFAULT_STOP_REASONS } from '../../../../shared/domain/machines.ts';
import { bridge } from '../../api/index.ts';
import { Notice } from '../../ui/Notice.tsx';
import { newBreak, newShift, removeAt, replaceAt, toggleWeekday } from './production-form.ts';
import { useSettingDocument } from './use-setting-document.ts';

export function CalendarSection() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language.startsWith('zh');
  const { draft, change, save, outcome, busy } = useSettingDocument<CalendarView>(
    () => bridge.call('kpis.calendar', {}),
    (view) => bridge.call('kpis.setCalendar', view.calendar),
  );
  if (!draft) return outcome ? <Notice tone="bad">{outcome.text}</Notice> : <p className="muted">{t('widget.loading')}</p>;
  const calendar = draft.calendar;
  const set = (next: Partial<ShiftCalendar>) => change({ ...draft, calendar: { ...calendar, ...next } });
  const setShift = (index: number, next: Partial<Shift>) => set({ shifts: replaceAt(calendar.shifts, index, { ...calendar.shifts[index]!, ...next }) });

  return (
    <section className="production-section" data-testid="calendar-section">
      <h3>{t('production.calendar')}</h3>
      <div className="production-row">
        <label className="field">
          <span className="field-label">{t('production.timeZone')}</span>
          <input className="input" value={calendar.timeZone ?? ''} placeholder={draft.effectiveTimeZone} onChange={(event) => set({ timeZone: event.target.value.trim() === '' ? null : event.target.value })} data-testid="calendar-timezone" />
          <span className="field-hint">{t('production.timeZoneHint', { zone: draft.effectiveTimeZone })}</span>
        </label>
        <label className="field">
          <span className="field-label">{t('production.dayStart')}</span>
          <input className="input" type="time" value={calendar.dayStart} onChange={(event) => set({ dayStart: event.target.value })} />
        </label>
      </div>

      <h4>{t('production.shifts')}</h4>
      {calendar.shifts.map((shift, index) => (
        <div key={index} className="production-card" data-testid={`shift-${shift.id}`}>
          <div className="production-row">
            <label className="field">
              <span className="field-label">{t('production.shiftName')}</span>
              <input className="input" value={shift.name} onChange={(event) => setShift(index, { name: event.target.value })} data-testid="shift-name" />
            </label>
            <label className="field">
              <span className="field-label">{t('production.start')}</span>
              <input className="input" type="time" value={shift.start} onChange={(event) => setShift(index, { start: event.target.value })} data-testid="shift-start" />
            </label>
            <label className="field">
              <span className="field-label">{t('production.end')}</span>
              <input className="input" type="time" value={shift.end} onChange={(event) => setShift(index, { end: event.target.value })} data-testid="shift-end" />
            </label>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => set({ shifts: removeAt(calendar.shifts, index) })}>
              {t('production.remove')}
            </button>
          </div>
          {shift.end <= shift.start && <span className="field-hint">{t('production.overMidnight')}</span>}
          <div className="production-weekdays" role="group" aria-label={t('production.weekdays')}>
            {ALL_WEEKDAYS.map((day) => (
              <label key={day} className="check">
                <input type="checkbox" checked={shift.weekdays.includes(day)} onChange={() => setShift(index, { weekdays: toggleWeekday(shift.weekdays, day) })} />
                {t(`production.weekday.${day}`)}
              </label>
            ))}
          </div>
          {shift.breaks.map((pause, breakIndex) => (
            <div key={breakIndex} className="production-row production-sub">
              <span className="production-sub-label">{t('production.break')}</span>
              <input className="input" type="time" aria-label={t('production.start')} value={pause.start} onChange={(event) => setShift(index, { breaks: replaceAt(shift.breaks, breakIndex, { ...pause, start: event.target.value }) })} />
              <input className="input" type="time" aria-label={t('production.end')} value={pause.end} onChange={(event) => setShift(index, { breaks: replaceAt(shift.breaks, breakIndex, { ...pause, end: event.target.value }) })} />
              <input className="input" aria-label={t('production.name')} placeholder={t('production.name')} value={pause.name} onChange={(event) => setShift(index, { breaks: replaceAt(shift.breaks, breakIndex, { ...pause, name: event.target.value }) })} />
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setShift(index, { breaks: removeAt(shift.breaks, breakIndex) })}>
                {t('production.remove')}
              </button>
            </div>
          ))}
          <button type="button" className="btn btn-small" onClick={() => setShift(index, { breaks: [...shift.breaks, newBreak(shift)] })}>
            {t('production.addBreak')}
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => set({ shifts: [...calendar.shifts, newShift(calendar.shifts, t('production.newShift'))] })}>
        {t('production.addShift')}
      </button>

      <h4>{t('production.holidays')}</h4>
      {calendar.holidays.map((holiday, index) => (
        <div key={index} className="production-row production-sub">
          <input className="input" type="date" aria-label={t('production.date')} value={holiday.date} onChange={(event) => set({ holidays: replaceAt(calendar.holidays, index, { ...holiday, date: event.target.value }) })} />
          <input className="input" aria-label={t('production.name')} placeholder={t('production.name')} value={holiday.name} onChange={(event) => set({ holidays: replaceAt(calendar.holidays, index, { ...holiday, name: event.target.value }) })} />
          <button type="button" className="btn btn-ghost btn-small" onClick={() => set({ holidays: removeAt(calendar.holidays, index) })}>
            {t('production.remove')}
          </button>
        </div>
      ))}
      <button type="button" className="btn btn-small" onClick={() => set({ holidays: [...calendar.holidays, { date: new Date().toISOString().slice(0, 10), name: '' }] })}>
        {t('production.addHoliday')}
      </button>

      <h4>{t('production.downtime')}</h4>
      {calendar.plannedDowntime.map((downtime, index) => {
        const update = (next: Partial<typeof downtime>) => set({ plannedDowntime: replaceAt(calendar.plannedDowntime, index, { ...downtime, ...next }) });
        return (
          <div key={index} className="production-row production-sub">
            <input className="input" type="datetime-local" aria-label={t('production.from')} value={downtime.from} onChange={(event) => update({ from: event.target.value.slice(0, 16) })} />
            <input className="input" type="datetime-local" aria-label={t('production.to')} value={downtime.to} onChange={(event) => update({ to: event.target.value.slice(0, 16) })} />
            <select className="select" aria-label={t('production.reason')} value={downtime.reason} onChange={(event) => update({ reason: event.target.value })}>
              {DEFAULT_STOP_REASONS.filter((reason) => reason.planned || reason.code === downtime.reason).map((reason) => (
                <option key={reason.code} value={reason.code}>
                  {zh ? reason.zh : reason.en}
                </option>
              ))}
            </select>
            <input className="input" aria-label={t('production.note')} placeholder={t('production.note')} value={downtime.note} onChange={(event) => update({ note: event.target.value })} />
            <button type="button" className="btn btn-ghost btn-small" onClick={() => set({ plannedDowntime: removeAt(calendar.plannedDowntime, index) })}>
              {t('production.remove')}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
          set({ plannedDowntime: [...calendar.plannedDowntime, { from: `${day}T08:00`, to: `${day}T12:00`, reason: 'plannedMaintenance', note: '', machineIds: [] }] });
        }}
      >
        {t('production.addDowntime')}
      </button>

      <div className="production-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="calendar-save">
          {t('production.saveCalendar')}
        </button>
        {outcome && (
          <Notice tone={outcome.tone} testId="calendar-outcome">
            {outcome.text}
          </Notice>
        )}
      </div>
    </section>
  );
}
