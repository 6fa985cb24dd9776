// The demo plant: simulated machines served over real Modbus TCP, and their device configuration.
export { DemoPlant, PREFERRED_DEMO_PORTS } from './demo-plant.ts';
export { demoConfiguration, DEMO_DEVICES, DEMO_MACHINES, type DemoMachine } from './demo-config.ts';
export { CncMachine, MouldingMachine, PowerMeter, RegisterImage, MACHINE_STATE, seededRandom } from './simulation.ts';
