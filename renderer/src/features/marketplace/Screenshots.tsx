// A template's screenshots with their captions, read one by one through marketplace.screenshot (from
// the cache when offline); one that cannot be read says so in its place.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueEntry } from '../../../../shared/cloud/catalogue.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { localised } from './money.ts';

type Shot = { state: 'loading' } | { state: 'shown'; src: string } | { state: 'failed'; problem: string };

export function Screenshots({ entry, version }: { entry: CatalogueEntry; version: string }) {
  const { i18n } = useTranslation();
  if (entry.screenshots.length === 0) return null;
  return (
    <div className="market-shots">
      {entry.screenshots.slice(0, 8).map((shot, index) => (
        <figure key={index} className="market-shot">
          <ScreenshotImage templateId={entry.id} version={version} index={index} alt={localised(shot.caption, i18n.language)} />
          <figcaption>{localised(shot.caption, i18n.language)}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function ScreenshotImage({ templateId, version, index, alt }: { templateId: string; version: string; index: number; alt: string }) {
  const { t } = useTranslation();
  const [shot, setShot] = useState<Shot>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    bridge
      .call('marketplace.screenshot', { templateId, version, index })
      .then(({ contentType, base64 }) => current && setShot({ state: 'shown', src: `data:${contentType};base64,${base64}` }))
      .catch((error: unknown) => current && setShot({ state: 'failed', problem: callErrorMessage(error, t('store.screenshotFailed')) }));
    return () => {
      current = false;
    };
  }, [templateId, version, index]);
  if (shot.state === 'shown') return <img src={shot.src} alt={alt} loading="lazy" />;
  return (
    <div className="market-shot-placeholder muted">
      {shot.state === 'loading' ? <span className="spinner" aria-hidden="true" /> : shot.problem}
    </div>
  );
}
