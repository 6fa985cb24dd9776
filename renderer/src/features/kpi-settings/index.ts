// Settings → Production: the shift calendar, the machines and the tariff of the KPI engine.
export { ProductionPanel } from './ProductionPanel.tsx';
