// The register map editor: the table of points, "Read now", import and export of map files.
export { RegisterMapEditor } from './RegisterMapEditor.tsx';
export { checkMap, pointToDraft, restyle, type PointDraft, type MapCheck } from './point-draft.ts';
