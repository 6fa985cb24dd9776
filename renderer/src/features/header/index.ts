// The header feature: title, demo badge, connection indicator, language and theme switches.
export { Header } from './Header.tsx';
