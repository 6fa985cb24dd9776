// The Electron main process, kept thin: one instance, one secure window serving the UI from app://,
// the core in a utility process (restarted with back-off if it dies), IPC relayed only from the app's
// own window, a tray icon so closing the window keeps collecting. Business logic lives in core/.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  powerSaveBlocker,
  protocol,
  session,
  Tray,
  safeStorage,
  utilityProcess,
  type IpcMainInvokeEvent,
  type UtilityProcess,
} from 'electron';
import { EXPORTS_FOLDER } from '../core/historian/export/export-service.ts';
import { CONTENT_SECURITY_POLICY_HEADER, IPC_CHANNELS, pickLocale, translate, type EventMessage } from '../shared/index.ts';
import { APP_ENTRY_URL, APP_SCHEME, isAppUrl, mimeType, resolveAppFile } from './app-protocol.ts';
import { CoreClient, restartDelayMs } from './core-client.ts';
import { finishedExport } from './export-files.ts';
import { answerSecretRequest, keychainUsable } from './safe-storage-secrets.ts';
import type { FromCore } from './core-messages.ts';
import { ALLOWED_PERMISSIONS, secureWebPreferences } from './window-options.ts';

const distDir = path.join(__dirname, '..');
const rendererDir = path.join(distDir, 'renderer');
const iconFile = path.join(distDir, '..', 'build', 'icon.png');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let mainWindow: BrowserWindow | undefined;
let tray: Tray | undefined;
let coreProcess: UtilityProcess | undefined;
let quitting = false;
let coreFailures = 0;

const locale = () => pickLocale(app.getLocale());

const coreClient = new CoreClient((message: EventMessage) => {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(IPC_CHANNELS.event, message);
});

function startCore(): void {
  // The machine key goes to the OS keychain where safeStorage has a real one; else the core keeps a protected file.
  const secrets = keychainUsable(safeStorage) ? 'os-keychain' : 'protected-file';
  const child = utilityProcess.fork(path.join(__dirname, 'core-process.cjs'), ['--data-dir', app.getPath('userData'), '--lang', locale(), '--secrets', secrets], {
    serviceName: 'PlantDesk core',
    stdio: 'inherit',
    // Run from the sources (not installed), the demo templates signed with the development key install from file.
    env: { ...process.env, ...(app.isPackaged ? {} : { PLANTDESK_TRUST_DEV_KEY: '1' }) },
  });
  coreProcess = child;
  const startedAt = Date.now();
  child.on('message', (message: FromCore) => {
    if (message.type === 'ready') coreClient.attach(child);
    else if (message.type === 'fatal') {
      // The core cannot start (say, another PlantDesk holds the data folder): say why once and quit.
      dialog.showErrorBox('PlantDesk', message.message);
      quitting = true;
      app.quit();
    }
    else if (message.type === 'secret') child.postMessage(answerSecretRequest(safeStorage, message));
    else coreClient.receive(message);
  });
  child.on('exit', () => {
    coreClient.failAll();
    coreProcess = undefined;
    if (quitting) return;
    coreFailures = Date.now() - startedAt > 60_000 ? 1 : coreFailures + 1;
    setTimeout(startCore, restartDelayMs(coreFailures));
  });
}

/** Only the app's own window, showing the app's own page, may call the core. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return !!frame && !!mainWindow && event.sender === mainWindow.webContents && isAppUrl(frame.url);
}

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    // Export files of any size, streamed from the core's exports folder; the window asks where to save.
    const exported = finishedExport(request.url, path.join(app.getPath('userData'), EXPORTS_FOLDER));
    if (exported) {
      return new Response(Readable.toWeb(fs.createReadStream(exported.path)) as ReadableStream, { headers: exported.headers });
    }
    const file = resolveAppFile(request.url, rendererDir);
    if (!file || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
    return new Response(await fs.promises.readFile(file), {
      headers: { 'Content-Type': mimeType(file), 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER },
    });
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'PlantDesk',
    show: false,
    icon: fs.existsSync(iconFile) ? iconFile : undefined,
    webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs')),
  });
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  // Closing the window hides it: collection and alarms go on; the tray menu quits.
  window.on('close', (event) => {
    if (!quitting && tray) {
      event.preventDefault();
      window.hide();
    }
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function createTray(): void {
  if (!fs.existsSync(iconFile)) return;
  tray = new Tray(nativeImage.createFromPath(iconFile).resize({ width: 16, height: 16 }));
  tray.setToolTip('PlantDesk');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: translate(locale(), 'tray.open'), click: showWindow },
      { type: 'separator' },
      { label: translate(locale(), 'tray.quit'), click: () => app.quit() },
    ]),
  );
  tray.on('click', showWindow);
}

if (!app.requestSingleInstanceLock()) {
  // Two instances would fight over serial ports and double-count usage: hand over to the first one.
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
      callback(ALLOWED_PERMISSIONS.has(permission)),
    );
    serveAppProtocol();
    ipcMain.handle(IPC_CHANNELS.call, (event, name: unknown, input: unknown, language: unknown) => {
      const callLocale = pickLocale(typeof language === 'string' ? language : locale());
      if (!isTrustedSender(event) || typeof name !== 'string') {
        return { ok: false, error: { code: 'forbidden', message: translate(callLocale, 'error.untrustedSender') } };
      }
      return coreClient.call(name, input, callLocale);
    });
    startCore();
    powerSaveBlocker.start('prevent-app-suspension');
    Menu.setApplicationMenu(null);
    createTray();
    mainWindow = createWindow();
  });

  app.on('window-all-closed', () => {
    if (!tray) app.quit();
  });
  app.on('before-quit', () => {
    quitting = true;
    coreProcess?.postMessage({ type: 'stop' });
  });
}
