// "Read now": the unsaved device and the rows without problems, read once through devices.readNow
// (in chunks of the contract's 500), each reading kept by row for the table.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../shared/domain/devices.ts';
import { bridge } from '../../api/index.ts';
import { callErrorMessage } from '../../app/call-error.ts';
import { formatClock } from '../../format/format-time.ts';
import type { MapCheck } from './point-draft.ts';
import type { RowReading } from './PointRow.tsx';

const CHUNK = 500;

export interface ReadNote {
  tone: 'good' | 'bad' | 'info';
  text: string;
  /** The rows the note is about; once none is left (an import replaced them) it is not shown. */
  rowKeys: string[];
}

export function useReadNow(buildDevice: () => Device | null, check: MapCheck, rowCount: number) {
  const { t, i18n } = useTranslation();
  const [readings, setReadings] = useState<Record<string, RowReading>>({});
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<ReadNote | null>(null);

  const run = async () => {
    const device = buildDevice();
    if (!device) {
      setNote({ tone: 'bad', text: t('mapEditor.fixConnectionFirst'), rowKeys: [] });
      return;
    }
    const good = check.goodRows;
    if (good.length === 0) {
      setNote({ tone: 'bad', text: t(rowCount === 0 ? 'mapEditor.nothingToRead' : 'mapEditor.fixRowsFirst'), rowKeys: [] });
      return;
    }
    setBusy(true);
    setNote(null);
    try {
      const next: Record<string, RowReading> = {};
      for (let start = 0; start < good.length; start += CHUNK) {
        const chunk = good.slice(start, start + CHUNK);
        const { readings: answers } = await bridge.call('devices.readNow', { device, points: chunk.map((row) => row.point) });
        for (const reading of answers) {
          const row = chunk.find((candidate) => candidate.point.id === reading.pointId);
          if (row) next[row.key] = { reading, point: row.point };
        }
      }
      setReadings(next);
      const failed = Object.values(next).filter((entry) => entry.reading.error !== null).length;
      const skipped = rowCount - good.length;
      const time = formatClock(Date.now(), i18n.language);
      const parts: string[] = [t('mapEditor.readDone', { count: good.length - failed, time })];
      if (failed > 0) parts.push(t('mapEditor.readFailedCount', { count: failed }));
      if (skipped > 0) parts.push(t('mapEditor.readSkipped', { count: skipped }));
      setNote({ tone: failed > 0 ? 'bad' : skipped > 0 ? 'info' : 'good', text: parts.join(' '), rowKeys: good.map((row) => row.key) });
    } catch (error) {
      setNote({ tone: 'bad', text: callErrorMessage(error, t('error.internal')), rowKeys: [] });
    } finally {
      setBusy(false);
    }
  };

  return { readings, busy, note, run };
}
