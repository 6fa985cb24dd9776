// Helpers for the metering and outcome tests: an installed template instance as the installer
// stores it (the package's manifest row and the instance row), read back through
// TemplateInstaller.list as the jobs read it. Never imported by the core itself.
import { silentLogger } from '../host.ts';
import type { Db } from '../storage/database.ts';
import { TemplateInstaller, type CreatedItems } from '../templates/template-installer.ts';

/** A manifest the schema accepts, with the licence section given. */
export function manifestWith(templateId: string, version: string, licence: Record<string, unknown>): Record<string, unknown> {
  const text = (en: string) => ({ en, 'zh-CN': en });
  return {
    manifestVersion: 1,
    id: templateId,
    version,
    name: text('Energy watch'),
    summary: text('Energy and machine hours'),
    description: text('Counts machine hours and energy saved.'),
    publisher: { id: templateId.split('.')[0], name: 'Acme Automation' },
    appVersions: '>=0.1.0',
    licence,
    parameters: [{ id: 'machine', label: text('Machine'), type: 'device', required: false }],
  };
}

export function installInstance(
  db: Db,
  instance: { instanceId: string; templateId: string; version: string; installedAt: number; created?: Partial<CreatedItems>; parameters?: Record<string, string>; manifest: Record<string, unknown> },
): void {
  db.prepare('INSERT OR IGNORE INTO template_packages (template_id, version, manifest, signature, stored_at) VALUES (?, ?, ?, ?, ?)').run(
    instance.templateId,
    instance.version,
    JSON.stringify(instance.manifest),
    'test-signature',
    instance.installedAt,
  );
  db.prepare(
    'INSERT INTO template_instances (instance_id, template_id, version, parameters, created, installed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    instance.instanceId,
    instance.templateId,
    instance.version,
    JSON.stringify(instance.parameters ?? {}),
    JSON.stringify({ device: [], point: [], alarmRule: [], dashboard: [], machine: [], ...instance.created }),
    instance.installedAt,
    instance.installedAt,
  );
}

/** The instances as the jobs see them. */
export const instancesOf = (db: Db) => () => new TemplateInstaller(db, silentLogger).list();
