// Signed documents (licences, package signatures, the server time, the control list) as one line a
// person can paste or carry on a USB stick: `<kind>.<payload base64url>.<signature base64url>`.
// Ed25519 covers `<kind>.<payload base64url>` — the kind and the payload together — so a signature
// made for one kind of document can never pass for another. The payload is canonical JSON; it is
// not encrypted (encryption with a key the app holds would only be obfuscation).
//
// This module is the format only. The signature check itself is handed in (node:crypto on the
// server and in the core), so "cannot verify" (broken line, unknown key) stays apart from
// "verified bad" (signature, kind or content wrong).
import type { z } from 'zod';
import { canonicalJson } from './canonical-json.ts';
import { base64urlDecode, base64urlEncode, utf8Decode, utf8Encode } from './encoding.ts';

export const DOCUMENT_KINDS = ['licence', 'package', 'server-time', 'control-list'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Longest line accepted, so a pasted file cannot make a verifier parse megabytes. */
export const MAX_DOCUMENT_LENGTH = 256 * 1024;

/** The bytes Ed25519 signs: `<kind>.<payload base64url>` in ASCII. */
export function documentSigningInput(kind: string, payloadBase64url: string): Uint8Array {
  return utf8Encode(`${kind}.${payloadBase64url}`);
}

/** The payload as it travels: base64url of its canonical JSON. */
export function encodeDocumentPayload(payload: unknown): string {
  return base64urlEncode(utf8Encode(canonicalJson(payload)));
}

export function formatSignedDocument(kind: DocumentKind, payloadBase64url: string, signature: Uint8Array): string {
  return `${kind}.${payloadBase64url}.${base64urlEncode(signature)}`;
}

export interface ParsedDocument {
  kind: string;
  payloadBase64url: string;
  /** The payload's JSON, parsed but not yet checked against a schema. */
  payload: unknown;
  signature: Uint8Array;
  signingInput: Uint8Array;
}

/** Splits a line into its parts; undefined when it is not a well-formed document line. */
export function parseSignedDocument(line: string): ParsedDocument | undefined {
  const text = line.trim();
  if (text.length > MAX_DOCUMENT_LENGTH) return undefined;
  const parts = text.split('.');
  if (parts.length !== 3) return undefined;
  const [kind, payloadBase64url, signatureBase64url] = parts as [string, string, string];
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(kind)) return undefined;
  const payloadBytes = base64urlDecode(payloadBase64url);
  const signature = base64urlDecode(signatureBase64url);
  if (!payloadBytes || !signature || signature.length !== 64) return undefined;
  const json = utf8Decode(payloadBytes);
  if (json === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(json);
  } catch {
    return undefined;
  }
  return { kind, payloadBase64url, payload, signature, signingInput: documentSigningInput(kind, payloadBase64url) };
}

/** What a signature checker says about one signature by one key id. */
export type SignatureCheck = 'valid' | 'invalid' | 'unknown_key';
export type SignatureChecker = (keyId: string, message: Uint8Array, signature: Uint8Array) => SignatureCheck;

export type DocumentCheck<T> =
  | { status: 'valid'; payload: T }
  /** Cannot tell: the line is broken or signed by a key this side does not know. */
  | { status: 'cannot_verify'; reason: 'malformed' | 'unknown_key' }
  /** Verified bad: a wrong signature, another kind of document, or content outside the schema. */
  | { status: 'bad'; reason: 'signature' | 'wrong_kind' | 'content' };

/**
 * Parses and checks a document line: form, kind, signature by the key its payload names, schema.
 * @example checkSignedDocument(line, 'licence', LicencePayloadSchema, (keyId, message, signature) => ...)
 */
export function checkSignedDocument<S extends z.ZodType>(
  line: string,
  kind: DocumentKind,
  schema: S,
  checkSignature: SignatureChecker,
): DocumentCheck<z.output<S>> {
  const parsed = parseSignedDocument(line);
  if (!parsed) return { status: 'cannot_verify', reason: 'malformed' };
  const keyId = (parsed.payload as { keyId?: unknown } | null)?.keyId;
  if (typeof keyId !== 'string') return { status: 'cannot_verify', reason: 'malformed' };
  const signature = checkSignature(keyId, parsed.signingInput, parsed.signature);
  if (signature === 'unknown_key') return { status: 'cannot_verify', reason: 'unknown_key' };
  if (signature === 'invalid') return { status: 'bad', reason: 'signature' };
  // The kind is covered by the signature, so a mismatch here is a document used in the wrong place.
  if (parsed.kind !== kind) return { status: 'bad', reason: 'wrong_kind' };
  const content = schema.safeParse(parsed.payload);
  if (!content.success) return { status: 'bad', reason: 'content' };
  return { status: 'valid', payload: content.data };
}
