// The range buttons of the Trends page — last hour, this shift, today, last 24 hours, last 7 days —
// and Custom…, which opens a from/to form under them, filled with what the chart shows ("until now"
// ticked when it follows live).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fromLocalInput, RANGE_PRESETS, toLocalInput, type CustomRange, type RangePreset, type TimeRange } from './time-ranges.ts';

interface RangeBarProps {
  preset: RangePreset;
  /** What the chart shows now: the custom form starts from it. */
  shown: TimeRange;
  /** The chart follows live: the custom form starts "until now". */
  live: boolean;
  onPreset(preset: RangePreset): void;
  onCustom(range: CustomRange): void;
}

export function RangeBar({ preset, shown, live, onPreset, onCustom }: RangeBarProps) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  return (
    <div className="range-bar">
      <div className="range-presets" role="group" aria-label={t('trends.range.label')}>
        {RANGE_PRESETS.map((one) => (
          <button
            key={one}
            type="button"
            className={one === preset ? 'is-active' : undefined}
            aria-pressed={one === preset}
            data-testid={`range-${one}`}
            onClick={() => {
              if (one === 'custom') setEditing((open) => !open);
              else {
                setEditing(false);
                onPreset(one);
              }
            }}
          >
            {t(`trends.range.${one}`)}
          </button>
        ))}
      </div>
      {editing && (
        <CustomRangeForm
          initial={shown}
          live={live}
          onApply={(range) => {
            setEditing(false);
            onCustom(range);
          }}
          onCancel={() => setEditing(false)}
        />
      )}
    </div>
  );
}

function CustomRangeForm({ initial, live, onApply, onCancel }: { initial: TimeRange; live: boolean; onApply(range: CustomRange): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => toLocalInput(initial.from));
  const [to, setTo] = useState(() => toLocalInput(initial.to));
  const [untilNow, setUntilNow] = useState(live);
  const [invalid, setInvalid] = useState(false);
  const apply = () => {
    const start = fromLocalInput(from);
    const end = untilNow ? null : fromLocalInput(to);
    if (start === null || (!untilNow && (end === null || end <= start))) {
      setInvalid(true);
      return;
    }
    onApply({ from: start, to: end });
  };
  return (
    <form
      className="range-custom"
      data-testid="range-custom-form"
      onSubmit={(event) => {
        event.preventDefault();
        apply();
      }}
    >
      <label className="range-field">
        <span>{t('trends.range.from')}</span>
        <input type="datetime-local" className="input" value={from} onChange={(event) => setFrom(event.target.value)} aria-invalid={invalid || undefined} data-testid="range-from" />
      </label>
      <label className="range-field">
        <span>{t('trends.range.to')}</span>
        <input
          type="datetime-local"
          className="input"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          disabled={untilNow}
          aria-invalid={(invalid && !untilNow) || undefined}
          data-testid="range-to"
        />
      </label>
      <label className="check range-until-now">
        <input type="checkbox" checked={untilNow} onChange={(event) => setUntilNow(event.target.checked)} data-testid="range-until-now" />
        {t('trends.range.untilNow')}
      </label>
      <button type="submit" className="btn btn-primary btn-small" data-testid="range-apply">
        {t('trends.range.apply')}
      </button>
      <button type="button" className="btn btn-small" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      {invalid && (
        <span className="field-error" role="alert">
          {t('trends.range.invalid')}
        </span>
      )}
    </form>
  );
}
