// What pay-after-use usage records and pay-for-results statements count in. Records carry integers
// in the smallest unit of what a manifest names (`licence.meters[].unit`, `licence.outcome.unit`):
// energy in Wh for a kWh outcome, so a price `{ amount, per }` is per `per` smallest units.
// Shared by the core (which records and states) and the UI (which shows prices).

/** The smallest unit records use for a unit a manifest names, and how many of them make one. */
export const SMALLEST_UNITS: Readonly<Record<string, { unit: string; perUnit: number }>> = {
  Wh: { unit: 'Wh', perUnit: 1 },
  kWh: { unit: 'Wh', perUnit: 1000 },
  MWh: { unit: 'Wh', perUnit: 1_000_000 },
};

/** The smallest unit of a manifest's unit; a unit not listed is its own smallest unit. */
export function smallestUnitOf(unit: string): { unit: string; perUnit: number } {
  return SMALLEST_UNITS[unit] ?? { unit, perUnit: 1 };
}

/** The meters and outcome metrics this PlantDesk records, with the unit a manifest gives them. */
export const KNOWN_METERS: Readonly<Record<string, string>> = { 'machine-hours': 'h' };
export const KNOWN_OUTCOME_METRICS: Readonly<Record<string, string>> = { 'kwh-saved': 'kWh' };
