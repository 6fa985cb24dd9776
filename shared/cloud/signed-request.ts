// How a machine signs its requests to the cloud once it is activated. Every request carries the
// machine id, a timestamp, a nonce, the SHA-256 of the body and an Ed25519 signature over the
// canonical request below (method and path included, so a signed body cannot be replayed at another
// route). The cloud refuses a clock more than five minutes off and any nonce it has seen.

export const SIGNED_REQUEST_HEADERS = {
  machine: 'x-plantdesk-machine',
  timestamp: 'x-plantdesk-timestamp',
  nonce: 'x-plantdesk-nonce',
  contentSha256: 'x-plantdesk-content-sha256',
  signature: 'x-plantdesk-signature',
} as const;

/** Largest difference between the machine's clock and the cloud's, either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;

export interface RequestToSign {
  method: string;
  /** Path and query exactly as sent, e.g. `/v1/sync/usage` or `/v1/licences?template=acme.oee`. */
  path: string;
  machineId: string;
  /** Milliseconds since the epoch, as a decimal string in the header. */
  timestamp: number;
  nonce: string;
  /** Lower-case hex SHA-256 of the body bytes (of nothing for a request without a body). */
  contentSha256: string;
}

/** The text whose UTF-8 bytes the machine signs. */
export function canonicalRequest(request: RequestToSign): string {
  return [
    'PLANTDESK-REQUEST-V1',
    request.method.toUpperCase(),
    request.path,
    request.machineId,
    String(request.timestamp),
    request.nonce,
    request.contentSha256,
  ].join('\n');
}

/** The text a new machine signs with its new key when it activates, proving it holds the key. */
export function activationProof(input: { code: string; publicKey: string }): string {
  return ['PLANTDESK-ACTIVATE-V1', normaliseActivationCode(input.code), input.publicKey].join('\n');
}

/** Activation codes are typed by people: case, spaces and dashes do not matter. */
export function normaliseActivationCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}
