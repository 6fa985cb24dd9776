// The Overview page: dashboards on a grid, their editor, and their files.
export { OverviewPage } from './OverviewPage.tsx';
