// Licences in the app: offline verification and the licence state on the clock floor (issue 8 item 2).
export { fingerprintLikeness, isThisMachine, licenceState, RENEW_SOON_MS } from './licence-state.ts';
export type { InvalidReason, LicenceMessage, LicenceState, LicenceStateInput, LockReason, ThisMachine, UnreportedUsage } from './licence-state.ts';
export { CLOCK_SUSPECT_MS, TimeFloor } from './time-floor.ts';
export type { ClockReading, TimeCheck, TimeFloorJSON } from './time-floor.ts';
export { nextRecordId, UsageLedger, UsageLedgerError, usageRecordHash } from './usage-ledger.ts';
export type { ChainProblem, ClockState, CorrectionInput, LedgerCheck, LedgerErrorCode, UsageInput, UsageLedgerOptions } from './usage-ledger.ts';
export { usageLedgerMigration } from './usage-schema.ts';
export { OutcomeLedger, OutcomeLedgerError } from './outcome-ledger.ts';
export { checkMetersSupported, Meter, MACHINE_HOURS, SUPPORTED_METERS } from './metering.ts';
export { computeOutcome, OutcomeJob, sumOutcomes, WH_PER_UNIT } from './outcomes.ts';
export type { OutcomeProblem } from './outcomes.ts';
export { PlanSince } from './plan-since.ts';
export { ChainedLedger } from './hash-chain.ts';
