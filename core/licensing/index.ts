// Licences in the app: offline verification and the licence state on the clock floor (issue 8 item 2).
export { fingerprintLikeness, isThisMachine, licenceState, RENEW_SOON_MS } from './licence-state.ts';
export type { InvalidReason, LicenceMessage, LicenceState, LicenceStateInput, LockReason, ThisMachine, UnreportedUsage } from './licence-state.ts';
export { CLOCK_SUSPECT_MS, TimeFloor } from './time-floor.ts';
export type { ClockReading, TimeCheck, TimeFloorJSON } from './time-floor.ts';
export { nextRecordId, UsageLedger, UsageLedgerError, usageRecordHash } from './usage-ledger.ts';
export type { ChainProblem, ClockState, CorrectionInput, LedgerCheck, LedgerErrorCode, UsageInput, UsageLedgerOptions } from './usage-ledger.ts';
export { usageLedgerMigration } from './usage-schema.ts';
export { OutcomeLedger, OutcomeLedgerError } from './outcome-ledger.ts';
export { Meter, MACHINE_HOURS } from './metering.ts';
export { computeOutcome, OutcomeJob } from './outcomes.ts';
