// Time-of-use electricity tariff on the plant's clock: which instants of a range fall in which band
// (critical peak, peak, flat, valley — 尖/峰/平/谷), so energy can be priced band by band.
import { AppError, translate, type Locale } from '../../shared/index.ts';
import { clockMinutes } from '../../shared/domain/calendar.ts';
import { TARIFF_BANDS, type Tariff, type TariffBand } from '../../shared/domain/kpis.ts';
import { dateParts, type PlantClock } from './calendar.ts';
import { intersect, normalise, subtract, type Interval } from './intervals.ts';

/** The instants of [from, to) in each band; time in no band's span is flat. */
export function bandIntervals(tariff: Tariff, clock: PlantClock, from: number, to: number): Record<TariffBand, Interval[]> {
  const spans: Record<TariffBand, Interval[]> = { critical: [], peak: [], flat: [], valley: [] };
  if (to <= from) return spans;
  const firstDay = clock.toLocal(from).day - 1;
  const lastDay = clock.toLocal(to).day;
  for (let day = firstDay; day <= lastDay; day++) {
    const { month } = dateParts(day);
    for (const span of tariff.bands) {
      if (span.months.length > 0 && !span.months.includes(month)) continue;
      const start = clockMinutes(span.start);
      let end = clockMinutes(span.end);
      if (end <= start) end += 1440;
      spans[span.band].push({ from: clock.toInstant(day, start), to: clock.toInstant(day, end) });
    }
  }
  const range = [{ from, to }];
  const result = { critical: [], peak: [], flat: [], valley: [] } as Record<TariffBand, Interval[]>;
  let taken: Interval[] = [];
  for (const band of TARIFF_BANDS) {
    if (band === 'flat') continue;
    // A dearer band wins where two would meet (checkTariff refuses overlaps, this keeps them disjoint anyway).
    result[band] = subtract(intersect(normalise(spans[band]), range), taken);
    taken = normalise([...taken, ...result[band]]);
  }
  result.flat = normalise([...subtract(range, taken), ...intersect(normalise(spans.flat), range)]);
  return result;
}

/** Refuses bands that overlap in some month (each minute of the day must have one band at most). */
export function checkTariff(tariff: Tariff, locale: Locale): void {
  for (let month = 1; month <= 12; month++) {
    const owner: (TariffBand | undefined)[] = new Array(1440).fill(undefined);
    for (const span of tariff.bands) {
      if (span.months.length > 0 && !span.months.includes(month)) continue;
      const start = clockMinutes(span.start);
      let end = clockMinutes(span.end);
      if (end <= start) end += 1440;
      for (let minute = start; minute < end; minute++) {
        const slot = minute % 1440;
        const other = owner[slot];
        if (other !== undefined) {
          const time = `${String(Math.floor(slot / 60)).padStart(2, '0')}:${String(slot % 60).padStart(2, '0')}`;
          throw new AppError('invalid_input', 'error.tariffBandsOverlap', {
            params: { first: translate(locale, `kpis.tariff.${other}`), second: translate(locale, `kpis.tariff.${span.band}`), time },
          });
        }
        owner[slot] = span.band;
      }
    }
  }
}
