// A cloud that does not answer: the transport says why in the network's own words (not Node's bare
// "fetch failed"), and the sentence a plant manager reads names the address once.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { translate } from '../../shared/i18n/index.ts';
import { unreachableError } from './machine-identity.ts';
import { CloudUnreachable, HttpTransport, networkReason } from './transport.ts';

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an unreachable cloud', () => {
  it('is refused in the words of the network, with the address named once in the sentence', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}`;
    const transport = new HttpTransport({ baseUrl: () => url, signer: () => undefined });
    const error = await transport.request({ method: 'GET', path: '/v1/keys' }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CloudUnreachable);
    const unreachable = error as CloudUnreachable;
    expect(unreachable.url).toBe(url);
    expect(unreachable.reason).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);

    const sentence = unreachableError(unreachable, url);
    const english = translate('en', sentence.key, sentence.params);
    expect(english).toContain(`connect ECONNREFUSED 127.0.0.1:${port}.`);
    expect(english.split(url)).toHaveLength(2);
    expect(english).not.toContain('fetch failed');
    expect(translate('zh-CN', sentence.key, sentence.params)).toContain(url);
  });

  it('keeps a reason that is already plain, without a closing full stop to double', () => {
    expect(networkReason(new Error('The operation was aborted due to timeout.'))).toBe('The operation was aborted due to timeout');
    expect(networkReason(new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND cloud.example') }))).toBe('getaddrinfo ENOTFOUND cloud.example');
    expect(networkReason('no cloud address is set')).toBe('no cloud address is set');
  });
});
