// The app's name and version, from package.json (bundled into the Electron build).
import packageJson from '../package.json' with { type: 'json' };

export const APP_NAME = 'PlantDesk';
export const APP_VERSION: string = packageJson.version;
