// The electricity tariff: the price per kWh of each band (critical peak, peak, flat, valley) and the
// times of day of the bands; time in no band is flat, a band ending at or before its start runs over midnight.
import { useTranslation } from 'react-i18next';
import { TARIFF_BANDS, type Tariff, type TariffBand } from '../../../../shared/domain/kpis.ts';
import { bridge } from '../../api/index.ts';
import { Notice } from '../../ui/Notice.tsx';
import { formatNumberList, newBand, parseNumberList, removeAt, replaceAt } from './production-form.ts';
import { useSettingDocument } from './use-setting-document.ts';

export function TariffSection() {
  const { t } = useTranslation();
  const { draft, change, save, outcome, busy } = useSettingDocument<Tariff>(
    () => bridge.call('kpis.tariff', {}),
    (tariff) => bridge.call('kpis.setTariff', tariff),
  );
  if (!draft) return outcome ? <Notice tone="bad">{outcome.text}</Notice> : <p className="muted">{t('widget.loading')}</p>;
  const setPrice = (band: TariffBand, text: string) => {
    const value = Number(text);
    change({ ...draft, prices: { ...draft.prices, [band]: Number.isFinite(value) ? value : 0 } });
  };
  return (
    <section className="production-section" data-testid="tariff-section">
      <h3>{t('production.tariff')}</h3>
      <div className="production-row">
        <label className="field">
          <span className="field-label">{t('production.currency')}</span>
          <input className="input" value={draft.currency} onChange={(event) => change({ ...draft, currency: event.target.value })} />
        </label>
        {TARIFF_BANDS.map((band) => (
          <label key={band} className="field">
            <span className="field-label">{t('production.pricePerKwh', { band: t(`production.band.${band}`) })}</span>
            <input className="input" type="number" min={0} step={0.01} value={draft.prices[band]} onChange={(event) => setPrice(band, event.target.value)} data-testid={`price-${band}`} />
          </label>
        ))}
      </div>
      {draft.bands.map((span, index) => {
        const update = (next: Partial<typeof span>) => change({ ...draft, bands: replaceAt(draft.bands, index, { ...span, ...next }) });
        return (
          <div key={index} className="production-row production-sub" data-testid="tariff-band">
            <select className="select" aria-label={t('production.band')} value={span.band} onChange={(event) => update({ band: event.target.value as TariffBand })}>
              {TARIFF_BANDS.map((band) => (
                <option key={band} value={band}>
                  {t(`production.band.${band}`)}
                </option>
              ))}
            </select>
            <input className="input" type="time" aria-label={t('production.start')} value={span.start} onChange={(event) => update({ start: event.target.value })} />
            <input className="input" type="time" aria-label={t('production.end')} value={span.end} onChange={(event) => update({ end: event.target.value })} />
            <input
              className="input"
              aria-label={t('production.months')}
              placeholder={t('production.allYear')}
              defaultValue={formatNumberList(span.months)}
              onBlur={(event) => update({ months: parseNumberList(event.target.value)?.filter((month) => Number.isInteger(month) && month >= 1 && month <= 12) ?? [] })}
            />
            <button type="button" className="btn btn-ghost btn-small" onClick={() => change({ ...draft, bands: removeAt(draft.bands, index) })}>
              {t('production.remove')}
            </button>
          </div>
        );
      })}
      <button type="button" className="btn btn-small" onClick={() => change({ ...draft, bands: [...draft.bands, newBand(draft.bands)] })}>
        {t('production.addBand')}
      </button>
      <div className="production-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="tariff-save">
          {t('production.saveTariff')}
        </button>
        {outcome && (
          <Notice tone={outcome.tone} testId="tariff-outcome">
            {outcome.text}
          </Notice>
        )}
      </div>
    </section>
  );
}
