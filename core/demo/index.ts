// The demo plant: simulated machines served over real Modbus TCP, and their device configuration.
export { DemoPlant, DEMO_SERVERS, PREFERRED_DEMO_PORTS, type DemoEndpoint, type DemoServer } from './demo-plant.ts';
export { AirCompressor, COMPRESSOR_RATING, COMPRESSOR_STATE } from './compressor.ts';
export { DEMO_ADL400_CT_RATIO, DEMO_METER_MODELS, METER_MAPS, type MeterReading } from './meter-maps.ts';
export { demoConfiguration, DEMO_DEVICES, DEMO_MACHINES, type DemoMachine } from './demo-config.ts';
export { CncMachine, MouldingMachine, PowerMeter, RegisterImage, MACHINE_STATE, seededRandom } from './simulation.ts';
