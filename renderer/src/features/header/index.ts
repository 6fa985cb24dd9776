// The header feature: title, demo badge, connection indicator, language switch.
export { Header } from './Header.tsx';
