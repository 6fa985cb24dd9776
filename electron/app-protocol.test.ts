import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAppUrl, mimeType, resolveAppFile } from './app-protocol.ts';

const root = path.resolve('/opt/plantdesk/dist/renderer');

describe('app:// protocol', () => {
  it('accepts only the app origin', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://plantdesk/assets/index.js')).toBe(true);
    expect(isAppUrl('https://plantdesk/index.html')).toBe(false);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('file:///C:/Windows/win.ini')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('maps app URLs to files inside the renderer folder', () => {
    expect(resolveAppFile('app://plantdesk/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://plantdesk/assets/app.js', root)).toBe(path.join(root, 'assets', 'app.js'));
  });

  it('refuses paths that leave the renderer folder, however they are spelled', () => {
    for (const url of [
      'app://plantdesk/../../etc/passwd',
      'app://plantdesk/%2e%2e/%2e%2e/secret',
      'app://plantdesk/..%2F..%2Fsecret',
      'app://plantdesk/assets/%00.js',
      'app://plantdesk/%E0%A4%A',
      'app://other/index.html',
    ]) {
      const file = resolveAppFile(url, root);
      expect(file === null || file.startsWith(root + path.sep), url).toBe(true);
    }
    expect(resolveAppFile('app://plantdesk/..%2F..%2Fsecret', root)).toBeNull();
  });

  it('serves scripts and pages with their content types', () => {
    expect(mimeType('index.html')).toMatch(/text\/html/);
    expect(mimeType('a.js')).toMatch(/javascript/);
    expect(mimeType('a.unknown')).toBe('application/octet-stream');
  });
});
