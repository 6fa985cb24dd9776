// The error banners feature.
export { ErrorBanners } from './ErrorBanners.tsx';
