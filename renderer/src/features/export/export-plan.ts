// Pure choices of the export screen: the values a range suggests (every stored value for a day or
// two, minute averages up to two months, hour averages beyond), how far along an export is, and how
// its file reaches the user — a plain link, streamed whatever its size, in a browser and the desktop app alike.
import type { ExportResolution, ExportStatus } from '../../../../shared/contract/calls.ts';
import { TOKEN_PARAM, tokenFromSearch } from '../../api/web-requests.ts';

const DAY_MS = 86_400_000;

/**
 * The values to export by default for a range: every stored value up to two days, the average of
 * each minute up to 62 days, of each hour beyond — so a default export opens in Excel in seconds.
 * @example suggestedResolution(7 * 86_400_000) // → '1m'
 */
export function suggestedResolution(spanMs: number): ExportResolution {
  if (spanMs <= 2 * DAY_MS) return 'raw';
  if (spanMs <= 62 * DAY_MS) return '1m';
  return '1h';
}

/**
 * How far an export is, 0–100, or null while its size is not known yet (the bar then just moves).
 * @example progressPercent({ state: 'running', rowsWritten: 250, totalRowsEstimate: 1000 }) // → 25
 */
export function progressPercent(status: Pick<ExportStatus, 'state' | 'rowsWritten' | 'totalRowsEstimate'>): number | null {
  if (status.state === 'done') return 100;
  if (status.totalRowsEstimate <= 0) return null;
  return Math.min(99, Math.floor((100 * status.rowsWritten) / status.totalRowsEstimate));
}

/**
 * Where the finished file of `jobId` is downloaded from, streamed whatever its size: /api/exports/<jobId>,
 * served by the web host (with the page's access token on a LAN tablet) and, in the desktop app, by the
 * main process from the exports folder (electron/export-files.ts).
 * @example downloadUrl('…', '?token=abc') // → '/api/exports/…?token=abc'
 */
export function downloadUrl(jobId: string, search: string): string {
  const token = tokenFromSearch(search);
  const query = token ? `?${TOKEN_PARAM}=${encodeURIComponent(token)}` : '';
  return `/api/exports/${encodeURIComponent(jobId)}${query}`;
}

/** The time zone of this screen (Asia/Shanghai), so the file's times read as the chart's. */
export function screenTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}
