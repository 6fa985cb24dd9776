// Alarms: rules on tags evaluated on live samples, the alarm lifecycle with its stored history,
// shelving and suppression, and notifications to group robots. core/index.ts wires the service to
// the devices (samples, statuses) and the event bus, and appends the migration.
export { AlarmService, actorOf, type AlarmServiceOptions, type AlarmSuppression, type AlarmPointInfo } from './alarm-service.ts';
export { createAlarmHandlers, type AlarmHandlers, type AlarmHandlerDeps } from './handlers.ts';
export { alarmsMigration } from './schema.ts';
export { demoAlarmRules } from './demo-rules.ts';
export { RuleEngine, CompiledRule, isCommunicationLost } from './rule-engine.ts';
