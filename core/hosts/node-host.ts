// The CoreHost for a plain Node process (the web host, tests, benchmarks): the data folder a desktop
// install would use, and a log file in it (JSON lines via pino) with warnings echoed to the terminal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { CoreHost, Logger } from '../host.ts';

const LOG_FILE_LIMIT = 10 * 1024 * 1024;

/** The folder Electron's app.getPath('userData') gives PlantDesk, so both hosts share one data folder. */
export function defaultDataDir(platform = process.platform, env = process.env, home = os.homedir()): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'PlantDesk');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'PlantDesk');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'PlantDesk');
}

/**
 * A logger writing JSON lines to <dataDir>/logs/plantdesk.log, keeping one previous file. A log file
 * that cannot be written (a read-only data folder, a full disk) never stops the app: warnings and
 * errors still reach the terminal, and the core says what is wrong with the folder.
 */
export function createFileLogger(dataDir: string, echo: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const dir = path.join(dataDir, 'logs');
  const file = path.join(dir, 'plantdesk.log');
  const show = (level: string, message: string, fields?: Record<string, unknown>) =>
    echo(`[${level}] ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
  let log: pino.Logger | undefined;
  const giveUp = (error: unknown) => {
    if (!log) return;
    log = undefined;
    show('warn', 'cannot write the log file; logging to the terminal only', { file, error: String(error) });
  };
  try {
    fs.mkdirSync(dir, { recursive: true });
    if (fs.existsSync(file) && fs.statSync(file).size > LOG_FILE_LIMIT) fs.renameSync(file, `${file}.1`);
    const destination = pino.destination({ dest: file, sync: false });
    destination.on('error', giveUp);
    log = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  } catch (error) {
    log = pino({ enabled: false });
    giveUp(error);
  }
  return {
    info: (message, fields) => log?.info(fields ?? {}, message),
    warn: (message, fields) => {
      log?.warn(fields ?? {}, message);
      show('warn', message, fields);
    },
    error: (message, fields) => {
      log?.error(fields ?? {}, message);
      show('error', message, fields);
    },
  };
}

export function createNodeHost(dataDir: string, kind: CoreHost['kind'] = 'web'): CoreHost {
  return { kind, dataDir, logger: createFileLogger(dataDir) };
}
