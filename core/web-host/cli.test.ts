import { describe, expect, it } from 'vitest';
import { DEFAULT_PORT, parseServeArgs } from './cli.ts';

describe('npm run serve flags', () => {
  it('defaults to this PC only, the default port and the demo plant', () => {
    const options = parseServeArgs([]);
    expect(options).toMatchObject({ port: DEFAULT_PORT, portGiven: false, host: '127.0.0.1', demo: true, token: undefined });
  });

  it('takes --port, --data-dir, --no-demo, --host and --token', () => {
    expect(parseServeArgs(['--port', '9000', '--data-dir', 'D:\\PlantDeskData', '--no-demo', '--host', '0.0.0.0', '--token', 's3cret'])).toMatchObject({
      port: 9000,
      portGiven: true,
      dataDir: 'D:\\PlantDeskData',
      demo: false,
      host: '0.0.0.0',
      token: 's3cret',
    });
  });

  it('says in a sentence what is wrong with a bad flag', () => {
    expect(() => parseServeArgs(['--port', 'eighty'])).toThrow(/--port must be a whole number/);
    expect(() => parseServeArgs(['--port', '70000'])).toThrow(/0 to 65535/);
    expect(() => parseServeArgs(['--colour', 'blue'])).toThrow();
    expect(parseServeArgs(['--help'])).toBe('help');
  });
});
