// Stops and their reasons: the list an operator gives each stop its reason from (a dashboard widget),
// and the reason catalogue other widgets name reasons with.
export { StopList } from './StopList.tsx';
export { useReasonCatalogue, loadReasons, rememberReasons } from './reason-catalogue.ts';
export { reasonName, formatStopDuration } from './stop-rows.ts';
