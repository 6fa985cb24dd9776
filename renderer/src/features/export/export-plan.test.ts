import { describe, expect, it } from 'vitest';
import { downloadRoute, progressPercent, suggestedResolution } from './export-plan.ts';

const DAY = 86_400_000;
const jobId = '0b0f6a4e-3c1e-4d6b-9a55-6f1a7c2b9e10';

describe('export plan', () => {
  it('suggests every value for a day or two, minute averages for weeks, hour averages beyond', () => {
    expect(suggestedResolution(3_600_000)).toBe('raw');
    expect(suggestedResolution(2 * DAY)).toBe('raw');
    expect(suggestedResolution(7 * DAY)).toBe('1m');
    expect(suggestedResolution(365 * DAY)).toBe('1h');
  });

  it('tells how far an export is, and nothing while its size is unknown', () => {
    expect(progressPercent({ state: 'running', rowsWritten: 0, totalRowsEstimate: 0 })).toBeNull();
    expect(progressPercent({ state: 'running', rowsWritten: 250, totalRowsEstimate: 1000 })).toBe(25);
    expect(progressPercent({ state: 'running', rowsWritten: 1000, totalRowsEstimate: 1000 })).toBe(99);
    expect(progressPercent({ state: 'done', rowsWritten: 10, totalRowsEstimate: 10 })).toBe(100);
  });

  it('downloads over HTTP in a browser, with the tablet token, and through the bridge on the desktop', () => {
    expect(downloadRoute(jobId, { desktop: false, search: '' })).toEqual({ kind: 'link', url: `/api/exports/${jobId}` });
    expect(downloadRoute(jobId, { desktop: false, search: '?token=a%2Bb' })).toEqual({ kind: 'link', url: `/api/exports/${jobId}?token=a%2Bb` });
    expect(downloadRoute(jobId, { desktop: true, search: '?token=x' })).toEqual({ kind: 'inline' });
  });
});
