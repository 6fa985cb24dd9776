// Shelving an alarm: for how long, and why (both are recorded with who did it). The alarm's rule stays
// quiet — hidden from the counts, no notifications — and comes back by itself when the time is up.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlarmView } from '../../../../shared/contract/alarm-calls.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { Notice } from '../../ui/Notice.tsx';
import { callAlarms } from './alarm-api.ts';
import { loadActiveAlarms } from './alarms-store.ts';

const DURATIONS = [15, 30, 60, 120, 240, 480, 1440] as const;

export function ShelveDialog({ alarm, onClose }: { alarm: AlarmView; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [minutes, setMinutes] = useState<number>(60);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const missing = reason.trim() === '';

  const shelve = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await callAlarms('alarms.shelve', { id: alarm.id, minutes, reason: reason.trim() });
      void loadActiveAlarms();
      onClose();
    } catch (error) {
      setProblem(callErrorMessage(error, t('error.internal')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('alarms.shelve.title')}
      size="small"
      onClose={onClose}
      testId="shelve-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy || missing} onClick={() => void shelve()} data-testid="shelve-confirm">
            {t('alarms.shelve.confirm')}
          </button>
        </>
      }
    >
      <p className="alarms-dialog-subject">{alarm.message[language]}</p>
      <label className="field">
        <span className="field-label">{t('alarms.shelve.duration')}</span>
        <select className="select" value={minutes} onChange={(event) => setMinutes(Number(event.target.value))} data-testid="shelve-minutes">
          {DURATIONS.map((value) => (
            <option key={value} value={value}>
              {value < 60 ? t('alarms.shelve.minutes', { count: value }) : t('alarms.shelve.hours', { count: value / 60 })}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('alarms.shelve.reason')}</span>
        <input
          className="input"
          value={reason}
          maxLength={500}
          onChange={(event) => setReason(event.target.value)}
          placeholder={t('alarms.shelve.reasonHint')}
          data-testid="shelve-reason"
          data-autofocus=""
        />
      </label>
      <p className="field-hint">{t('alarms.shelve.explain')}</p>
      {problem && <Notice tone="bad">{problem}</Notice>}
    </Dialog>
  );
}
