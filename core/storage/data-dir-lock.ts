// One PlantDesk per data folder: two would poll the same RS-485 port, fight over the demo ports and
// double-count usage. The lock file holds the owner's process id; a lock left by a dead process is taken over.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/index.ts';

export const LOCK_FILE = 'plantdesk.lock';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Errors that say the folder cannot be written now, as opposed to "someone else has it". */
const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

/** The running process (other than this one) named by the lock file, if any. */
function runningOwner(file: string): number | undefined {
  try {
    const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(owner) && owner !== process.pid && isRunning(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data folder for this process; returns the function that releases it. A folder that
 * cannot be written (read-only, disk full) is used without the lock rather than not at all, when
 * `onCannotLock` is given: the core then starts with its storage unavailable and says why.
 */
export function lockDataDir(dataDir: string, onCannotLock?: (error: Error) => void): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const owner = runningOwner(file);
      if (owner !== undefined) throw new AppError('conflict', 'error.dataDirLocked', { params: { dir: dataDir, pid: owner } });
      if (code === 'EEXIST') {
        // Left by a process that is gone: take it over.
        try {
          fs.rmSync(file, { force: true });
          continue;
        } catch (removeError) {
          if (!onCannotLock) throw removeError;
          onCannotLock(removeError as Error);
          return () => {};
        }
      }
      if (onCannotLock && CANNOT_WRITE.has(code)) {
        onCannotLock(error as Error);
        return () => {};
      }
      throw error;
    }
  }
  throw new AppError('conflict', 'error.dataDirLocked', { params: { dir: dataDir, pid: '?' } });
}
