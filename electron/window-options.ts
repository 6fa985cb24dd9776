// The window's security settings in one place (DESIGN.md's Security bar), so a test can hold them.
export function secureWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
  } as const;
}

/** Permissions the window may have: desktop notifications for alarms, nothing else. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications']);
