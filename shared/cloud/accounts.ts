// Machine activation: a PC running PlantDesk joins its organisation with a one-time activation code
// and the public half of an Ed25519 key pair it generated itself; from then on it signs every request.
import { z } from 'zod';
import { CloudIdSchema, EpochMsSchema, MarketplaceKeySchema, PublicKeySchema, Sha256HexSchema, SemverSchema, SignatureSchema } from './common.ts';

/**
 * The machine's fingerprint: the hash of its components and each component's own hash (CPU, board,
 * disks, network cards…), so the cloud can match "most of them" and no raw hardware id leaves the PC.
 */
export const MachineFingerprintSchema = z.strictObject({
  hash: Sha256HexSchema,
  components: z.record(z.string().regex(/^[a-z0-9-]{1,32}$/), Sha256HexSchema).refine((value) => Object.keys(value).length <= 16, 'at most 16 components'),
});
export type MachineFingerprint = z.infer<typeof MachineFingerprintSchema>;

export const ActivationRequestSchema = z.strictObject({
  code: z.string().min(8).max(64),
  publicKey: PublicKeySchema,
  /** Signature over `activationProof({ code, publicKey })` with the new private key. */
  proof: SignatureSchema,
  name: z.string().trim().min(1).max(100),
  fingerprint: MachineFingerprintSchema,
  appVersion: SemverSchema,
});
export type ActivationRequest = z.infer<typeof ActivationRequestSchema>;

export const ActivationResponseSchema = z.strictObject({
  machineId: CloudIdSchema,
  organisationId: CloudIdSchema,
  organisationName: z.string(),
  activatedAt: EpochMsSchema,
  marketplaceKeys: z.array(MarketplaceKeySchema),
});
export type ActivationResponse = z.infer<typeof ActivationResponseSchema>;
