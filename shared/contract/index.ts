// The contract between the UI and the core: every call and event, their schemas and the bridge type.
export * from './define.ts';
export * from './calls.ts';
export * from './events.ts';
export * from './bridge.ts';
