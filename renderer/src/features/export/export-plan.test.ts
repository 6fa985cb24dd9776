import { describe, expect, it } from 'vitest';
import { downloadUrl, progressPercent, suggestedResolution } from './export-plan.ts';

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

  it('downloads from /api/exports/<jobId> in both hosts, with the tablet token where there is one', () => {
    expect(downloadUrl(jobId, '')).toBe(`/api/exports/${jobId}`);
    expect(downloadUrl(jobId, '?token=a%2Bb')).toBe(`/api/exports/${jobId}?token=a%2Bb`);
  });
});
