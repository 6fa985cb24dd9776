// "Use the demo plant" in the install form: the demo's simulated machine that fits a template (by its
// categories), and the form filled with that machine's address — host, port and, for the energy
// meters, the Modbus unit id the demo gives each meter model.
import type { ManifestParameter, ParameterDraft } from './parameter-form.ts';
import { draftParameterValue, setDraftValue } from './parameter-form.ts';

export interface DemoEndpoint {
  host: string;
  port: number;
}

/** The demo machine (app.info.demoEndpoints key) that serves each template category. */
const MACHINE_BY_CATEGORY: Record<string, string> = {
  cnc: 'cnc',
  'injection-moulding': 'moulding',
  energy: 'meter',
  'air-compressor': 'compressor',
};

/** The demo meter's unit id for each meter model (found in the model parameter's value). */
const METER_UNITS: readonly { model: string; unitId: number }[] = [
  { model: 'dtsu666', unitId: 2 },
  { model: 'adl400', unitId: 3 },
  { model: 'pm5', unitId: 4 },
];

export interface DemoMatch {
  machine: string;
  endpoint: DemoEndpoint;
}

/**
 * The demo machine for a template with these categories, when the demo serves one.
 * @example demoMachineFor(['energy'], { meter: { host: '127.0.0.1', port: 5021 } }) // → { machine: 'meter', endpoint: … }
 */
export function demoMachineFor(categories: readonly string[], endpoints: Record<string, DemoEndpoint> | null | undefined): DemoMatch | null {
  if (!endpoints) return null;
  for (const category of categories) {
    const machine = MACHINE_BY_CATEGORY[category];
    const endpoint = machine ? endpoints[machine] : undefined;
    if (machine && endpoint) return { machine, endpoint };
  }
  return null;
}

/** The unit id of the demo's meter for the model chosen in the form; 1 for any other device. */
export function demoUnitId(parameters: readonly ManifestParameter[], draft: ParameterDraft): number {
  for (const parameter of parameters) {
    if (parameter.id === 'host' || parameter.id === 'port' || parameter.id === 'unit-id') continue;
    const value = draftParameterValue(parameter, draft);
    if (typeof value !== 'string') continue;
    const found = METER_UNITS.find((meter) => value.toLowerCase().includes(meter.model));
    if (found) return found.unitId;
  }
  return 1;
}

/** The form with the demo machine's host, port and unit id filled in (where the template asks for them). */
export function fillFromDemo(parameters: readonly ManifestParameter[], draft: ParameterDraft, endpoint: DemoEndpoint): ParameterDraft {
  let filled = draft;
  const unitId = demoUnitId(parameters, draft);
  for (const parameter of parameters) {
    if (parameter.id === 'host') filled = setDraftValue(filled, parameter, endpoint.host);
    else if (parameter.id === 'port') filled = setDraftValue(filled, parameter, endpoint.port);
    else if (parameter.id === 'unit-id') filled = setDraftValue(filled, parameter, unitId);
  }
  return filled;
}
