// Licence documents: for each entitlement in force, one signed document bound to the machine (its id,
// public key and fingerprint), a lease of 30 days renewed at every sync. Plus the signed server time
// every sync answer carries, which resets the app's time floor.
import {
  LICENCE_GRACE_MS,
  LICENCE_LEASE_MS,
  type LicencePayload,
  type MachineFingerprint,
  type ServerTimePayload,
} from '../../shared/cloud/index.ts';
import type { MachineIdentity } from '../auth/auth.ts';
import { CloudError, newId } from '../http.ts';
import type { CloudContext } from '../context.ts';
import { isInForce, type EntitlementRow } from '../orders/entitlements.ts';

/** `server-time.<payload>.<signature>` for this machine, now. */
export function signedServerTime(context: CloudContext, machineId: string): string {
  const payload: Omit<ServerTimePayload, 'keyId'> = { v: 1, machineId, serverTime: context.now() };
  return context.keys.sign('server-time', payload);
}

/**
 * The fingerprint is matched "most of them": a new network card is not a new PC. Returns the share
 * of the known components that are unchanged.
 */
export function fingerprintLikeness(known: MachineFingerprint, given: MachineFingerprint): number {
  const names = Object.keys(known.components);
  if (names.length === 0) return 1;
  return names.filter((name) => given.components[name] === known.components[name]).length / names.length;
}

export interface LicenceBundle {
  licences: string[];
  ended: string[];
  serverTime: string;
}

export async function issueLicences(context: CloudContext, machine: MachineIdentity, fingerprint?: MachineFingerprint): Promise<LicenceBundle> {
  const { db } = context;
  const now = context.now();
  let boundFingerprint = machine.fingerprint;
  if (fingerprint && fingerprint.hash !== machine.fingerprint.hash) {
    if (fingerprintLikeness(machine.fingerprint, fingerprint) <= 0.5) {
      throw new CloudError('forbidden', 'This PC looks different from the one activated (most of its parts changed). Activate it again with a new code.', {
        details: { reason: 'fingerprint_mismatch' },
      });
    }
    await db.query('UPDATE machines SET fingerprint = $2::jsonb WHERE id = $1', [machine.id, JSON.stringify(fingerprint)]);
    boundFingerprint = fingerprint;
  }
  const entitlements = await db.query<EntitlementRow>('SELECT * FROM entitlements WHERE organisation_id = $1 ORDER BY created_at, id', [machine.organisationId]);
  const streams = await db.query<{ stream: string; highest_sequence: number }>('SELECT stream, highest_sequence FROM usage_streams WHERE machine_id = $1', [machine.id]);
  const highest = (stream: string) => streams.find((row) => row.stream === stream)?.highest_sequence ?? 0;
  const licences: string[] = [];
  const ended: string[] = [];
  for (const entitlement of entitlements) {
    if (entitlement.status === 'pending_payment') continue;
    if (!isInForce(entitlement, now)) {
      ended.push(entitlement.id);
      continue;
    }
    const leaseExpiresAt = Math.min(now + LICENCE_LEASE_MS, entitlement.valid_until ?? Number.MAX_SAFE_INTEGER);
    const [licence] = await db.query<{ id: string }>(
      `INSERT INTO licences (id, entitlement_id, machine_id, organisation_id, issued_at, lease_expires_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (entitlement_id, machine_id) DO UPDATE SET issued_at = EXCLUDED.issued_at, lease_expires_at = EXCLUDED.lease_expires_at
       RETURNING id`,
      [newId('lic'), entitlement.id, machine.id, machine.organisationId, now, leaseExpiresAt],
    );
    const plan = entitlement.plan;
    const limits: LicencePayload['limits'] = { maxOfflineDays: Math.round(LICENCE_LEASE_MS / 86_400_000) };
    if (plan.kind === 'pay_after_use') {
      limits.meter = plan.meter;
      limits.unitPrice = plan.unitPrice;
      limits.creditLimit = plan.creditLimit;
      limits.maxUnreportedUnits = Math.floor((plan.creditLimit * plan.unitPrice.per) / Math.max(1, plan.unitPrice.amount));
    }
    const payload: Omit<LicencePayload, 'keyId'> = {
      v: 1,
      licenceId: licence!.id,
      entitlementId: entitlement.id,
      organisationId: machine.organisationId,
      machine: { id: machine.id, publicKey: machine.publicKey, fingerprint: boundFingerprint },
      template: { id: entitlement.template_id, planId: entitlement.plan_id },
      plan: entitlement.kind,
      features: plan.features,
      limits,
      issuedAt: now,
      leaseExpiresAt,
      validUntil: entitlement.valid_until,
      graceMs: LICENCE_GRACE_MS,
      serverTime: now,
      usage: { highestUsageSequence: highest('usage'), highestOutcomeSequence: highest('outcomes') },
    };
    licences.push(context.keys.sign('licence', payload));
  }
  return { licences, ended, serverTime: signedServerTime(context, machine.id) };
}
