// The desktop app's export downloads: only a finished export named by its job id is served, with its
// name and type; anything else under /api/exports is not found.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../core/test-support.ts';
import { finishedExport } from './export-files.ts';

const JOB = '0b4f3c2a-1d2e-4f5a-8b9c-0123456789ab';
let dir: string;

beforeEach(() => {
  dir = makeTempDir();
  fs.writeFileSync(path.join(dir, `${JOB}.csv`), 'time,value\n');
  fs.writeFileSync(path.join(dir, `${JOB}.json`), JSON.stringify({ jobId: JOB, format: 'csv', fileName: '注塑机 1.csv', rowsWritten: 1, sizeBytes: 11, finishedAt: 1 }));
});

afterEach(() => removeDir(dir));

describe('finishedExport', () => {
  it('serves a finished export at app://plantdesk/api/exports/<jobId> with its name, type and size', () => {
    const download = finishedExport(`app://plantdesk/api/exports/${JOB}`, dir);
    expect(download).toMatchObject({ path: path.join(dir, `${JOB}.csv`), sizeBytes: 11 });
    expect(download!.headers['Content-Type']).toMatch(/^text\/csv/);
    expect(download!.headers['Content-Disposition']).toContain("filename*=UTF-8''%E6%B3%A8%E5%A1%91%E6%9C%BA%201.csv");
  });

  it('serves nothing for other origins, paths that are not a job id, unfinished or tampered records', () => {
    expect(finishedExport(`https://evil.example/api/exports/${JOB}`, dir)).toBeNull();
    expect(finishedExport('app://plantdesk/api/exports/..%2F..%2Fplantdesk.db', dir)).toBeNull();
    expect(finishedExport(`app://plantdesk/api/exports/${JOB}/x`, dir)).toBeNull();
    expect(finishedExport('app://plantdesk/api/exports/1b4f3c2a-1d2e-4f5a-8b9c-0123456789ab', dir)).toBeNull();
    fs.writeFileSync(path.join(dir, `${JOB}.json`), JSON.stringify({ jobId: JOB, format: '../../x', fileName: 'a' }));
    expect(finishedExport(`app://plantdesk/api/exports/${JOB}`, dir)).toBeNull();
    fs.rmSync(path.join(dir, `${JOB}.csv`));
    fs.writeFileSync(path.join(dir, `${JOB}.json`), JSON.stringify({ jobId: JOB, format: 'csv', fileName: 'a.csv' }));
    expect(finishedExport(`app://plantdesk/api/exports/${JOB}`, dir)).toBeNull();
  });
});
