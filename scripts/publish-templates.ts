// Publishes the templates shipped in templates/ to a PlantDesk cloud over its HTTP API, as an operator:
// makes (or reuses) the organisation with publisher id `plantdesk`, uploads each template's UNSIGNED
// package (the marketplace signs it with its own key) and sets each template's price plans from the
// folder's plans.json. A version already published is left as it is (published versions never change).
//   PLANTDESK_OPERATOR_TOKEN=<token> node scripts/publish-templates.ts --cloud http://127.0.0.1:8480 [--organisation "PlantDesk"] [--dir templates]
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTemplateSource, templateFolders, TEMPLATES_DIR, zipFiles } from './build-templates.ts';

export const PUBLISHER_ID = 'plantdesk';

export interface PublishOptions {
  cloudUrl: string;
  operatorToken: string;
  /** The publisher organisation's name when it has to be made. */
  organisationName?: string;
  /** The folder of template sources (default templates/). */
  dir?: string;
}

export interface PublishedTemplate {
  templateId: string;
  version: string;
  /** 'exists': this version was published before and is left unchanged. */
  package: 'published' | 'exists';
  plans: string[];
}

class CloudCallError extends Error {
  override name = 'CloudCallError';
}

async function call(options: PublishOptions, method: string, route: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.operatorToken}` };
  let payload: Uint8Array | string | undefined;
  if (body instanceof Buffer) {
    headers['content-type'] = 'application/zip';
    payload = new Uint8Array(body);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const url = `${options.cloudUrl.replace(/\/+$/, '')}${route}`;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, ...(payload === undefined ? {} : { body: payload as unknown as RequestInit['body'] }) });
  } catch (error) {
    throw new CloudCallError(`Cannot reach the cloud at ${options.cloudUrl} (${(error as Error).message}). Check the address and that the cloud is running.`);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the message
  }
  return { status: response.status, body: parsed };
}

/** The platform's own sentence from `{ error: { message } }`, else the answer as it came. */
const reasonOf = (body: any): string =>
  typeof body === 'object' && body ? (body.error?.message ?? body.message ?? JSON.stringify(body)) : String(body);

const failure = (what: string, answer: { status: number; body: any }) => new CloudCallError(`${what} failed (HTTP ${answer.status}): ${reasonOf(answer.body)}`);

/** The organisation with publisher id `plantdesk`, made when there is none. */
async function publisherOrganisation(options: PublishOptions): Promise<string> {
  const list = await call(options, 'GET', '/v1/operator/organisations');
  if (list.status !== 200) throw failure('Listing the organisations', list);
  const existing = (list.body.organisations as { id: string; publisherId: string | null }[]).find((organisation) => organisation.publisherId === PUBLISHER_ID);
  if (existing) return existing.id;
  const made = await call(options, 'POST', '/v1/operator/organisations', { name: options.organisationName ?? 'PlantDesk', publisherId: PUBLISHER_ID });
  if (made.status !== 201) throw failure('Creating the publisher organisation', made);
  return made.body.id as string;
}

/** Uploads every template of `dir` and sets its plans; returns what was done, template by template. */
export async function publishTemplates(options: PublishOptions): Promise<PublishedTemplate[]> {
  const organisationId = await publisherOrganisation(options);
  const results: PublishedTemplate[] = [];
  for (const folder of templateFolders(options.dir ?? TEMPLATES_DIR)) {
    const source = readTemplateSource(folder);
    const { manifest } = source;
    const upload = await call(options, 'POST', `/v1/operator/organisations/${organisationId}/packages`, await zipFiles(source.files));
    if (upload.status !== 201 && upload.status !== 409) throw failure(`Publishing ${manifest.id} ${manifest.version}`, upload);
    if (source.plans.length > 0) {
      const plans = await call(options, 'PUT', `/v1/operator/templates/${manifest.id}/plans`, { plans: source.plans });
      if (plans.status !== 200) throw failure(`Setting the plans of ${manifest.id}`, plans);
    }
    results.push({ templateId: manifest.id, version: manifest.version, package: upload.status === 201 ? 'published' : 'exists', plans: source.plans.map((plan) => plan.id) });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const cloudUrl = value('--cloud');
  const operatorToken = value('--operator-token') ?? process.env.PLANTDESK_OPERATOR_TOKEN;
  if (!cloudUrl || !operatorToken) {
    console.error('Usage: PLANTDESK_OPERATOR_TOKEN=<token> node scripts/publish-templates.ts --cloud <url> [--organisation <name>] [--dir <templates folder>]\n(--operator-token <token> works too, but shows the token to anyone listing the processes.)');
    process.exit(2);
  }
  try {
    const dir = value('--dir');
    const organisationName = value('--organisation');
    const results = await publishTemplates({ cloudUrl, operatorToken, ...(dir ? { dir: path.resolve(dir) } : {}), ...(organisationName ? { organisationName } : {}) });
    for (const result of results) {
      const state = result.package === 'published' ? 'published' : 'already published (a published version never changes: raise the version in its manifest.json to publish changes)';
      console.log(`${result.templateId} ${result.version}: ${state}; plans ${result.plans.join(', ')}`);
    }
  } catch (error) {
    console.error(error instanceof CloudCallError ? error.message : error);
    process.exit(1);
  }
}
