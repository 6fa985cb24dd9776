// Ed25519 with node:crypto: the marketplace key that signs licences, package signatures and server
// time, and the machines' keys that sign requests. Keys travel as their 32 raw bytes in base64url;
// a key id is the first 16 hex digits of the SHA-256 of those bytes.
import crypto, { type KeyObject } from 'node:crypto';
import {
  base64urlDecode,
  base64urlEncode,
  documentSigningInput,
  encodeDocumentPayload,
  formatSignedDocument,
  type DocumentKind,
  type MarketplaceKey,
  type SignatureChecker,
} from '../../shared/cloud/index.ts';

export function sha256Hex(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The 32 raw bytes of an Ed25519 public key, in base64url. */
export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.x) throw new Error('not an Ed25519 key');
  return jwk.x;
}

/** A public key from its raw base64url form; undefined when it is not an Ed25519 key. */
export function publicKeyFromRaw(raw: string): KeyObject | undefined {
  const bytes = base64urlDecode(raw);
  if (!bytes || bytes.length !== 32) return undefined;
  try {
    return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

export function keyIdOf(rawPublic: string): string {
  return sha256Hex(base64urlDecode(rawPublic) ?? new Uint8Array()).slice(0, 16);
}

export function verifyEd25519(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return crypto.verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

export function signEd25519(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return crypto.sign(null, message, privateKey);
}

export interface SigningKey {
  keyId: string;
  publicKey: string;
  privateKey: KeyObject;
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return { keyId: keyIdOf(raw), publicKey: raw, privateKey };
}

/** A signing key from its PKCS#8 PEM (as written by `npm run cloud -- keys generate`). */
export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = crypto.createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the marketplace key must be an Ed25519 private key');
  const raw = rawPublicKey(crypto.createPublicKey(privateKey));
  return { keyId: keyIdOf(raw), publicKey: raw, privateKey };
}

export function signingKeyToPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * The marketplace's keys: the one it signs with now, and public keys it announces (the next one,
 * during a rotation) or still accepts (retired ones).
 */
export class Keyring {
  readonly current: SigningKey;
  readonly others: readonly MarketplaceKey[];

  constructor(current: SigningKey, others: readonly MarketplaceKey[] = []) {
    this.current = current;
    this.others = others;
  }

  /** The public keys an app pins. */
  publicKeys(): MarketplaceKey[] {
    return [{ keyId: this.current.keyId, publicKey: this.current.publicKey, status: 'current' }, ...this.others];
  }

  /** Signs a document; the payload gets the current key's id. */
  sign(kind: DocumentKind, payload: Record<string, unknown>): string {
    const encoded = encodeDocumentPayload({ ...payload, keyId: this.current.keyId });
    return formatSignedDocument(kind, encoded, signEd25519(this.current.privateKey, documentSigningInput(kind, encoded)));
  }

  /** A checker for `checkSignedDocument` that knows every key of this ring. */
  readonly checker: SignatureChecker = (keyId, message, signature) => {
    const known = this.publicKeys().find((key) => key.keyId === keyId);
    const publicKey = known && publicKeyFromRaw(known.publicKey);
    if (!publicKey) return 'unknown_key';
    return verifyEd25519(publicKey, message, signature) ? 'valid' : 'invalid';
  };
}

/** Random text for ids and tokens: `bytes` random bytes in base64url. */
export function randomToken(bytes: number): string {
  return base64urlEncode(crypto.randomBytes(bytes));
}

/** Compares two secrets in constant time (by their hashes, so lengths do not show). */
export function secretsEqual(expected: string, given: string): boolean {
  return crypto.timingSafeEqual(crypto.createHash('sha256').update(expected).digest(), crypto.createHash('sha256').update(given).digest());
}
