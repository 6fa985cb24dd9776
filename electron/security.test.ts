import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/index.ts';
import { ALLOWED_PERMISSIONS, secureWebPreferences } from './window-options.ts';

describe('window security', () => {
  it('isolates the page from Node and Electron', () => {
    const preferences = secureWebPreferences('/app/preload.cjs');
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
    });
  });

  it('grants notifications and nothing else', () => {
    expect([...ALLOWED_PERMISSIONS]).toEqual(['notifications']);
  });

  it('ships the shared Content-Security-Policy in the page itself', () => {
    const html = fs.readFileSync(path.join(import.meta.dirname, '..', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(meta?.replace(/\s+/g, ' ').trim()).toBe(CONTENT_SECURITY_POLICY);
  });

  it('exposes exactly call and on from the preload', () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, 'preload.ts'), 'utf8');
    expect(source).toContain('satisfies PlantDeskBridge');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
  });
});
