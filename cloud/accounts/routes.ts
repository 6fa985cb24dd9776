// Accounts: organisations (manufacturers and publishers), their users, and their machines. The
// operator creates an organisation and hands out one-time activation codes; a PC running PlantDesk
// activates with one, registering the public half of the Ed25519 key pair it generated itself.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  activationProof,
  ActivationRequestSchema,
  base64urlDecode,
  CloudIdSchema,
  normaliseActivationCode,
  SemverSchema,
  SlugSchema,
  utf8Encode,
  type ActivationResponse,
} from '../../shared/cloud/index.ts';
import { authenticateActor, authenticateMachine, authenticateOperator, newUserToken, userTokenHash } from '../auth/auth.ts';
import { publicKeyFromRaw, randomToken, sha256Hex, verifyEd25519 } from '../crypto/keys.ts';
import { isUniqueViolation } from '../db/database.ts';
import { CloudError, newId, parseInput } from '../http.ts';
import type { CloudContext } from '../context.ts';
import type { RateLimitSettings } from '../server.ts';

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford's base 32: no I, L, O, U.

/** 16 characters of base 32 (80 bits), shown as `XXXX-XXXX-XXXX-XXXX`. */
function newActivationCode(): string {
  const bytes = crypto.randomBytes(16);
  const chars = [...bytes].map((byte) => CODE_ALPHABET[byte % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

const activationCodeHash = (code: string) => sha256Hex(`activation-code:${normaliseActivationCode(code)}`);

const CreateOrganisationSchema = z.strictObject({ name: z.string().trim().min(1).max(200), publisherId: SlugSchema.optional() });
const CreateCodeSchema = z.strictObject({ validDays: z.int().min(1).max(90).optional() });
const CreateUserSchema = z.strictObject({ email: z.email().max(200), name: z.string().trim().min(1).max(200), role: z.enum(['admin', 'member']).default('member') });
const MachineUpdateSchema = z.strictObject({ name: z.string().trim().min(1).max(100).optional(), appVersion: SemverSchema.optional() });
const IdParams = z.strictObject({ id: CloudIdSchema });

export interface OrganisationRow {
  id: string;
  name: string;
  publisher_id: string | null;
  created_at: number;
}

export const organisationView = (row: OrganisationRow) => ({ id: row.id, name: row.name, publisherId: row.publisher_id, createdAt: row.created_at });

export async function requireOrganisation(context: CloudContext, id: string): Promise<OrganisationRow> {
  const [row] = await context.db.query<OrganisationRow>('SELECT * FROM organisations WHERE id = $1', [id]);
  if (!row) throw new CloudError('not_found', `There is no organisation ${id}.`);
  return row;
}

export function registerAccountRoutes(app: FastifyInstance, context: CloudContext, options: { activationLimit: RateLimitSettings | undefined }): void {
  const { db } = context;
  const operator = { preHandler: async (request: Parameters<typeof authenticateOperator>[1]) => authenticateOperator(context, request) };

  app.post('/v1/operator/organisations', operator, async (request, reply) => {
    const input = parseInput(CreateOrganisationSchema, request.body, 'body');
    const row: OrganisationRow = { id: newId('org'), name: input.name, publisher_id: input.publisherId ?? null, created_at: context.now() };
    try {
      await db.query('INSERT INTO organisations (id, name, publisher_id, created_at) VALUES ($1, $2, $3, $4)', [row.id, row.name, row.publisher_id, row.created_at]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new CloudError('conflict', `The publisher id ${input.publisherId} is taken by another organisation.`);
      throw error;
    }
    request.log.info({ organisationId: row.id }, 'organisation created');
    return reply.status(201).send(organisationView(row));
  });

  app.get('/v1/operator/organisations', operator, async () => {
    const rows = await db.query<OrganisationRow>('SELECT * FROM organisations ORDER BY created_at, id');
    return { organisations: rows.map(organisationView) };
  });

  app.post('/v1/operator/organisations/:id/activation-codes', operator, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const input = parseInput(CreateCodeSchema, request.body ?? {}, 'body');
    await requireOrganisation(context, id);
    const code = newActivationCode();
    const expiresAt = context.now() + (input.validDays ?? context.config.activationCodeDays) * 86_400_000;
    await db.query('INSERT INTO activation_codes (code_hash, organisation_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [activationCodeHash(code), id, context.now(), expiresAt]);
    request.log.info({ organisationId: id, expiresAt }, 'activation code created');
    return reply.status(201).send({ organisationId: id, activationCode: code, expiresAt });
  });

  app.post('/v1/operator/organisations/:id/users', operator, async (request, reply) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const input = parseInput(CreateUserSchema, request.body, 'body');
    await requireOrganisation(context, id);
    const token = newUserToken(randomToken(24));
    const user = { id: newId('usr'), organisationId: id, email: input.email.toLowerCase(), name: input.name, role: input.role, createdAt: context.now() };
    try {
      await db.query('INSERT INTO users (id, organisation_id, email, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        user.id,
        id,
        user.email,
        user.name,
        user.role,
        userTokenHash(token),
        user.createdAt,
      ]);
    } catch (error) {
      if (isUniqueViolation(error)) throw new CloudError('conflict', `A user with the e-mail ${user.email} exists already.`);
      throw error;
    }
    request.log.info({ userId: user.id, organisationId: id }, 'user created');
    // The token is shown this once; only its hash is kept.
    return reply.status(201).send({ user, token });
  });

  app.post('/v1/operator/machines/:id/revoke', operator, async (request) => {
    const { id } = parseInput(IdParams, request.params, 'params');
    const rows = await db.query('UPDATE machines SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id', [id, context.now()]);
    if (rows.length === 0) throw new CloudError('not_found', `There is no active machine ${id}.`);
    request.log.info({ machineId: id }, 'machine revoked');
    return { id, revoked: true };
  });

  app.post(
    '/v1/machines/activate',
    { config: options.activationLimit ? { rateLimit: { max: options.activationLimit.max, timeWindow: options.activationLimit.windowMs } } : {} },
    async (request, reply) => {
      const input = parseInput(ActivationRequestSchema, request.body, 'body');
      const publicKey = publicKeyFromRaw(input.publicKey);
      const proof = base64urlDecode(input.proof);
      if (!publicKey || !proof || !verifyEd25519(publicKey, utf8Encode(activationProof(input)), proof)) {
        throw new CloudError('bad_signature', 'The activation proof does not verify with the public key sent: sign the activation text with the new private key.');
      }
      const now = context.now();
      const machineId = newId('mch');
      const result = await db.transaction(async (tx) => {
        // Spending the code and registering the machine happen together, or not at all.
        const [code] = await tx.query<{ organisation_id: string }>(
          'UPDATE activation_codes SET used_at = $2, machine_id = $3 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING organisation_id',
          [activationCodeHash(input.code), now, machineId],
        );
        if (!code) throw new CloudError('forbidden', 'This activation code is unknown, used already or expired. Ask your platform operator for a new one.');
        const [organisation] = await tx.query<{ name: string }>('SELECT name FROM organisations WHERE id = $1', [code.organisation_id]);
        try {
          await tx.query(
            'INSERT INTO machines (id, organisation_id, name, public_key, fingerprint, app_version, activated_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)',
            [machineId, code.organisation_id, input.name, input.publicKey, JSON.stringify(input.fingerprint), input.appVersion, now],
          );
        } catch (error) {
          if (isUniqueViolation(error)) throw new CloudError('conflict', 'This public key is registered already: generate a new key pair for a new activation.');
          throw error;
        }
        return { organisationId: code.organisation_id, organisationName: organisation?.name ?? '' };
      });
      request.log.info({ machineId, organisationId: result.organisationId }, 'machine activated');
      const answer: ActivationResponse = { machineId, ...result, activatedAt: now, marketplaceKeys: context.keys.publicKeys() };
      return reply.status(201).send(answer);
    },
  );

  app.get('/v1/machines/me', async (request) => {
    const machine = await authenticateMachine(context, request);
    const organisation = await requireOrganisation(context, machine.organisationId);
    return { machine: { id: machine.id, name: machine.name, publicKey: machine.publicKey }, organisation: organisationView(organisation) };
  });

  // The app reports its name and version at each sync, so the operator sees which PlantDesk runs where.
  app.post('/v1/machines/me', async (request) => {
    const machine = await authenticateMachine(context, request);
    const input = parseInput(MachineUpdateSchema, request.body, 'body');
    await db.query('UPDATE machines SET name = COALESCE($2, name), app_version = COALESCE($3, app_version) WHERE id = $1', [machine.id, input.name ?? null, input.appVersion ?? null]);
    return { id: machine.id, name: input.name ?? machine.name };
  });

  app.get('/v1/organisation', async (request) => {
    const actor = await authenticateActor(context, request);
    const organisation = await requireOrganisation(context, actor.organisationId);
    const machines = await db.query<{ id: string; name: string; activated_at: number; last_seen_at: number | null; revoked_at: number | null }>(
      'SELECT id, name, activated_at, last_seen_at, revoked_at FROM machines WHERE organisation_id = $1 ORDER BY activated_at',
      [actor.organisationId],
    );
    return {
      organisation: organisationView(organisation),
      machines: machines.map((m) => ({ id: m.id, name: m.name, activatedAt: m.activated_at, lastSeenAt: m.last_seen_at, revoked: m.revoked_at !== null })),
    };
  });
}
