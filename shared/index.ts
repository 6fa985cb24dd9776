// What more than one part of PlantDesk needs: the contract, domain types, pure logic and strings.
export * from './contract/index.ts';
export * from './domain/devices.ts';
export * from './domain/address.ts';
export * from './domain/bus-load.ts';
export * from './domain/calendar.ts';
export * from './domain/machines.ts';
export * from './domain/kpis.ts';
export * from './expressions/index.ts';
export * from './codec/registers.ts';
export * from './errors.ts';
export * from './i18n/index.ts';
export * from './security.ts';
