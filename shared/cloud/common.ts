// Small schemas the cloud's wire formats share: ids, keys, hashes, times and bilingual text.
import { z } from 'zod';

export const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256');
/** An Ed25519 public key: its 32 raw bytes in base64url. */
export const PublicKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'an Ed25519 public key (32 bytes, base64url)');
/** An Ed25519 signature: 64 bytes in base64url. */
export const SignatureSchema = z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature (64 bytes, base64url)');
export const KeyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a key id (16 hex digits)');
/** Milliseconds since the epoch. */
export const EpochMsSchema = z.int().min(0).max(8_640_000_000_000_000);
/** Ids the cloud hands out: a short prefix that says what it names, then random letters and digits. */
export const CloudIdSchema = z.string().regex(/^[a-z]{2,4}_[0-9A-Za-z]{12,40}$/, 'an id such as org_3b7x…');
export const SlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');
/** Semantic version 2.0 (https://semver.org), without build metadata. */
export const SemverSchema = z
  .string()
  .max(64)
  .regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/, 'a version such as 1.2.0');
export const CurrencySchema = z.literal('CNY');
/** An amount of money in the currency's smallest unit (fen for CNY). */
export const MoneySchema = z.int().min(0).max(Number.MAX_SAFE_INTEGER);

export const localisedText = (max: number) =>
  z.strictObject({ 'zh-CN': z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) });
export type LocalisedText = { 'zh-CN': string; en: string };

/** Marketplace public keys an app pins (the current one and the next, as keys rotate). */
export const MarketplaceKeySchema = z.strictObject({ keyId: KeyIdSchema, publicKey: PublicKeySchema, status: z.enum(['current', 'next', 'retired']) });
export type MarketplaceKey = z.infer<typeof MarketplaceKeySchema>;
