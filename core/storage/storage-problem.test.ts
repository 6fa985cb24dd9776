// What the plant manager reads when the database file cannot be used: each kind of failure gets a
// whole sentence in both languages that names the file and says what to do next.
import { describe, expect, it } from 'vitest';
import { AppError, translate, type Locale } from '../../shared/index.ts';
import { NewerSchemaError } from './migrations.ts';
import { classifyStorageError, describeProblem, formatBytes, problemFromCode, type StorageProblem } from './storage-problem.ts';

const FILE = 'D:\\PlantDesk\\data\\plantdesk.db';
const hasChinese = /[\u4e00-\u9fff]/;
const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

function sentence(problem: StorageProblem, locale: Locale, newestBackupAt: number | null = null): string {
  const { key, params } = describeProblem(problem, { file: FILE, dir: 'D:\\PlantDesk\\data', freeBytes: 12_300_000, newestBackupAt });
  return translate(locale, key, params);
}

describe('classifying what SQLite and the file system say', () => {
  it.each([
    ['SQLITE_NOTADB', 'file is not a database', 'damaged', 'storage.reason.notADatabase'],
    ['SQLITE_CORRUPT', 'database disk image is malformed', 'damaged', 'storage.reason.malformed'],
    ['SQLITE_CORRUPT_INDEX', 'database disk image is malformed', 'damaged', 'storage.reason.malformed'],
    ['SQLITE_FULL', 'database or disk is full', 'full', 'storage.reason.full'],
    ['ENOSPC', 'no space left on device', 'full', 'storage.reason.full'],
    ['SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database', 'readOnly', 'storage.reason.readOnly'],
    ['SQLITE_CANTOPEN', 'unable to open database file', 'readOnly', 'storage.reason.cantOpen'],
    ['EACCES', 'permission denied', 'readOnly', 'storage.reason.readOnly'],
    ['SQLITE_BUSY', 'database is locked', 'locked', 'storage.reason.locked'],
    ['SQLITE_IOERR_READ', 'disk I/O error', 'other', 'disk I/O error'],
  ])('%s is %s', (code, message, kind, reason) => {
    expect(classifyStorageError(sqliteError(code, message))).toEqual({ kind, reason, code });
  });

  it('looks through the AppError openDatabase throws to its cause', () => {
    const wrapped = new AppError('storage_error', 'error.storageOpen', {
      params: { file: FILE, reason: 'x' },
      cause: sqliteError('SQLITE_NOTADB', 'file is not a database'),
    });
    expect(classifyStorageError(wrapped).kind).toBe('damaged');
    const newer = new AppError('storage_error', 'error.storageNewer', { params: {}, cause: new NewerSchemaError(9) });
    expect(classifyStorageError(newer)).toMatchObject({ kind: 'newer', version: 9 });
  });

  it('an error without a code is "other", in its own words', () => {
    expect(problemFromCode(null, 'something odd')).toEqual({ kind: 'other', reason: 'something odd', code: null });
  });
});

describe('the sentences', () => {
  const kinds: StorageProblem[] = [
    problemFromCode('SQLITE_NOTADB', 'file is not a database'),
    { kind: 'newer', reason: 'storage.reason.newerFormat', code: null, version: 7 },
    problemFromCode('SQLITE_FULL', 'database or disk is full'),
    problemFromCode('SQLITE_READONLY_DIRECTORY', 'attempt to write a readonly database'),
    problemFromCode('SQLITE_BUSY', 'database is locked'),
    problemFromCode('SQLITE_IOERR', 'disk I/O error'),
  ];

  it.each(kinds.map((problem) => [problem.kind, problem] as const))('%s: names the file and the next step, wholly in each language', (_kind, problem) => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const text = sentence(problem, locale, Date.UTC(2026, 10, 24, 2, 0));
      expect(text).toContain(FILE);
      expect(text).not.toMatch(/\{\{|storage\.reason\./);
      if (locale === 'zh-CN') expect(text).toMatch(hasChinese);
      else expect(text).not.toMatch(hasChinese);
    }
  });

  it('a damaged file: says so, keeps collecting, and offers the newest backup by its time', () => {
    const damaged = problemFromCode('SQLITE_NOTADB', 'file is not a database');
    const backupAt = new Date(2026, 10, 24, 2, 0).getTime();
    expect(sentence(damaged, 'en', backupAt)).toBe(
      `The database ${FILE} is damaged (the file is not a database). PlantDesk keeps collecting live values and holds the newest in memory, but cannot store them. ` +
        'Restore the backup of 2026-11-24 02:00 from Settings → Storage, or contact support. The damaged file is kept as it is.',
    );
    expect(sentence(damaged, 'zh-CN', backupAt)).toContain('恢复 2026-11-24 02:00 的备份');
    expect(sentence(damaged, 'zh-CN', backupAt)).toContain('该文件不是数据库');
    // Without a backup there is no backup to offer: a new empty database is the way on.
    expect(sentence(damaged, 'en')).toMatch(/no backup of it.*start a new empty database/);
  });

  it('a full disk names the free space; a read-only folder names the folder', () => {
    expect(sentence(problemFromCode('SQLITE_FULL', 'full'), 'en')).toMatch(/is full \(12\.3 MB free\).*Free some space/);
    expect(sentence(problemFromCode('EACCES', 'permission denied'), 'en')).toContain('write access to the folder D:\\PlantDesk\\data');
  });

  it('bytes read as people read them', () => {
    expect([512, 12_345, 340_000_000, 1_234_567_890].map(formatBytes)).toEqual(['512 B', '12.3 kB', '340 MB', '1.2 GB']);
  });
});
