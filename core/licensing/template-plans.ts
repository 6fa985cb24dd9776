// What the metering and outcome jobs need to know about the installed templates: each template's
// instances (grouped, oldest first) with its manifest as installed, read from the package table the
// installer keeps, and the points each instance collects from.
import { TemplateManifestSchema, type PlanKind, type TemplateManifest } from '../../shared/cloud/index.ts';
import type { TemplateInstance } from '../templates/template-installer.ts';
import type { Db } from '../storage/database.ts';

/** The licence plan of a template on this PC (from the licence helper); null without one. */
export type PlanOf = (templateId: string) => PlanKind | null;

export interface InstalledTemplate {
  templateId: string;
  /** The version of the newest instance: what records name. */
  version: string;
  manifest: TemplateManifest;
  instances: TemplateInstance[];
}

/** The installed templates, each with its manifest; one whose stored manifest cannot be read is left out. */
export function installedTemplates(db: Db, instances: readonly TemplateInstance[]): InstalledTemplate[] {
  const byTemplate = new Map<string, TemplateInstance[]>();
  for (const instance of instances) byTemplate.set(instance.templateId, [...(byTemplate.get(instance.templateId) ?? []), instance]);
  const read = db.prepare<[string, string], string>('SELECT manifest FROM template_packages WHERE template_id = ? AND version = ?').pluck();
  const templates: InstalledTemplate[] = [];
  for (const [templateId, group] of byTemplate) {
    const newest = [...group].sort((a, b) => b.updatedAt - a.updatedAt)[0]!;
    const text = read.get(templateId, newest.version);
    if (text === undefined) continue;
    let parsed;
    try {
      parsed = TemplateManifestSchema.safeParse(JSON.parse(text));
    } catch {
      continue;
    }
    if (!parsed.success) continue;
    templates.push({ templateId, version: newest.version, manifest: parsed.data, instances: [...group].sort((a, b) => a.installedAt - b.installedAt) });
  }
  return templates;
}

/** The ids of the points an instance collects: the points it created and those of the devices it created or was given. */
export function instancePointIds(instance: TemplateInstance, manifest: TemplateManifest, pointsByDevice: ReadonlyMap<string, readonly string[]>): string[] {
  const devices = new Set(instance.created.device);
  for (const parameter of manifest.parameters) {
    const value = instance.parameters[parameter.id];
    if (parameter.type === 'device' && typeof value === 'string') devices.add(value);
  }
  const points = new Set(instance.created.point);
  for (const device of devices) for (const point of pointsByDevice.get(device) ?? []) points.add(point);
  return [...points];
}

/** The id a package's own point has in an instance (`<instance>.<id>`), or the id as given when the instance did not create it. */
export function instancePointId(instance: TemplateInstance, localId: string): string {
  const derived = `${instance.instanceId}.${localId}`;
  return instance.created.point.includes(derived) ? derived : localId;
}
