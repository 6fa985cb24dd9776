// The live values feature.
export { LiveValuesTable } from './LiveValuesTable.tsx';
