// Who is asking. Machines sign every request (Ed25519 over the canonical request; five minutes of
// clock skew at most; each nonce once). Users of an organisation send their API token; the platform
// operator sends the operator token (as a Bearer token, or as the password of HTTP Basic auth for the
// web page). Tokens are compared by hash in constant time and never logged.
import type { FastifyRequest } from 'fastify';
import {
  base64urlDecode,
  canonicalRequest,
  MAX_CLOCK_SKEW_MS,
  NONCE_PATTERN,
  SHA256_HEX_PATTERN,
  SIGNED_REQUEST_HEADERS,
  utf8Encode,
  type MachineFingerprint,
} from '../../shared/cloud/index.ts';
import { publicKeyFromRaw, secretsEqual, sha256Hex, verifyEd25519 } from '../crypto/keys.ts';
import { CloudError } from '../http.ts';
import type { CloudContext } from '../context.ts';

export interface MachineIdentity {
  kind: 'machine';
  id: string;
  organisationId: string;
  name: string;
  publicKey: string;
  fingerprint: MachineFingerprint;
}

export interface UserIdentity {
  kind: 'user';
  id: string;
  organisationId: string;
  role: 'admin' | 'member';
}

/** Someone acting for an organisation: one of its machines or one of its users. */
export type OrganisationActor = MachineIdentity | UserIdentity;

const USER_TOKEN_PREFIX = 'pdu_';
/** Nonces are kept this long: past it the timestamp alone refuses the request. */
const NONCE_RETENTION_MS = 2 * MAX_CLOCK_SKEW_MS + 60_000;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

export function isMachineSigned(request: FastifyRequest): boolean {
  return header(request, SIGNED_REQUEST_HEADERS.machine) !== undefined;
}

/** Checks a machine's signed request; throws `unauthorized`, `clock_skew`, `bad_signature` or `replayed`. */
export async function authenticateMachine(context: CloudContext, request: FastifyRequest): Promise<MachineIdentity> {
  const machineId = header(request, SIGNED_REQUEST_HEADERS.machine);
  const timestampText = header(request, SIGNED_REQUEST_HEADERS.timestamp);
  const nonce = header(request, SIGNED_REQUEST_HEADERS.nonce);
  const contentSha256 = header(request, SIGNED_REQUEST_HEADERS.contentSha256);
  const signatureText = header(request, SIGNED_REQUEST_HEADERS.signature);
  const missing = Object.entries({ machineId, timestampText, nonce, contentSha256, signatureText })
    .filter(([, value]) => value === undefined)
    .map(([name]) => name);
  if (missing.length > 0 || !machineId || !timestampText || !nonce || !contentSha256 || !signatureText) {
    throw new CloudError('unauthorized', 'This request must be signed by an activated machine (x-plantdesk-* headers missing).', { details: { missing } });
  }
  const signature = base64urlDecode(signatureText);
  if (!/^\d{1,16}$/.test(timestampText) || !NONCE_PATTERN.test(nonce) || !SHA256_HEX_PATTERN.test(contentSha256) || signature?.length !== 64) {
    throw new CloudError('unauthorized', 'The request signature headers are malformed.');
  }
  const timestamp = Number(timestampText);
  const now = context.now();
  if (Math.abs(now - timestamp) > MAX_CLOCK_SKEW_MS) {
    throw new CloudError('clock_skew', "The machine's clock differs from the cloud's by more than 5 minutes. Set the PC's clock right and try again.", {
      details: { serverTime: now, requestTime: timestamp },
    });
  }
  if (sha256Hex(request.rawBody ?? new Uint8Array()) !== contentSha256) {
    throw new CloudError('bad_signature', 'The request body does not match its signed hash: it was altered on the way.');
  }
  const [machine] = await context.db.query<{ id: string; organisation_id: string; name: string; public_key: string; fingerprint: MachineFingerprint; revoked_at: number | null }>(
    'SELECT id, organisation_id, name, public_key, fingerprint, revoked_at FROM machines WHERE id = $1',
    [machineId],
  );
  if (!machine || machine.revoked_at !== null) throw new CloudError('unauthorized', 'This machine is not activated (or its activation was revoked). Activate it again with a new code.');
  const publicKey = publicKeyFromRaw(machine.public_key);
  const message = utf8Encode(canonicalRequest({ method: request.method, path: request.url, machineId, timestamp, nonce, contentSha256 }));
  if (!publicKey || !verifyEd25519(publicKey, message, signature)) {
    throw new CloudError('bad_signature', "The request's signature does not verify with this machine's key.");
  }
  // Only a verified request spends its nonce, so nobody can burn a machine's nonces.
  const stored = await context.db.query(
    'INSERT INTO request_nonces (machine_id, nonce, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING nonce',
    [machineId, nonce, now + NONCE_RETENTION_MS],
  );
  if (stored.length === 0) throw new CloudError('replayed', 'This request was already received (its nonce is used). A new request needs a new nonce.');
  await context.db.query('UPDATE machines SET last_seen_at = $2 WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2::bigint - 60000)', [machineId, now]);
  context.housekeeping();
  return { kind: 'machine', id: machine.id, organisationId: machine.organisation_id, name: machine.name, publicKey: machine.public_key, fingerprint: machine.fingerprint };
}

function bearer(request: FastifyRequest): string | undefined {
  const value = request.headers.authorization;
  return value?.startsWith('Bearer ') ? value.slice(7).trim() : undefined;
}

export function userTokenHash(token: string): string {
  return sha256Hex(`user-token:${token}`);
}

export function newUserToken(randomPart: string): string {
  return `${USER_TOKEN_PREFIX}${randomPart}`;
}

export async function authenticateUser(context: CloudContext, request: FastifyRequest): Promise<UserIdentity> {
  const token = bearer(request);
  if (!token?.startsWith(USER_TOKEN_PREFIX)) throw new CloudError('unauthorized', 'Sign in with a user API token (Authorization: Bearer pdu_…).');
  const [user] = await context.db.query<{ id: string; organisation_id: string; role: 'admin' | 'member' }>(
    'SELECT id, organisation_id, role FROM users WHERE token_hash = $1 AND disabled_at IS NULL',
    [userTokenHash(token)],
  );
  if (!user) throw new CloudError('unauthorized', 'This API token is unknown or disabled.');
  return { kind: 'user', id: user.id, organisationId: user.organisation_id, role: user.role };
}

/** A machine of the organisation (signed request) or one of its users (API token). */
export function authenticateActor(context: CloudContext, request: FastifyRequest): Promise<OrganisationActor> {
  return isMachineSigned(request) ? authenticateMachine(context, request) : authenticateUser(context, request);
}

/** The platform operator: `Authorization: Bearer <token>` or Basic auth with the token as password. */
export function authenticateOperator(context: CloudContext, request: FastifyRequest): void {
  const expected = context.config.operatorToken;
  if (!expected) throw new CloudError('unavailable', 'Operator access is off: start the cloud with PLANTDESK_OPERATOR_TOKEN set.');
  let given = bearer(request);
  const value = request.headers.authorization;
  if (!given && value?.startsWith('Basic ')) {
    const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
    given = decoded.slice(decoded.indexOf(':') + 1);
  }
  if (!given || !secretsEqual(expected, given)) throw new CloudError('unauthorized', 'This needs the operator token.');
}
