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

/** Takes the data folder for this process; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
        throw new AppError('conflict', 'error.dataDirLocked', { params: { dir: dataDir, pid: owner } });
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new AppError('conflict', 'error.dataDirLocked', { params: { dir: dataDir, pid: '?' } });
}
