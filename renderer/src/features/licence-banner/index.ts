// The banner under the header while a licence is in grace, locked, or the clock is set back.
export { LicenceBanner } from './LicenceBanner.tsx';
