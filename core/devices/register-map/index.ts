// Register maps as files: reading CSV and Excel into points with per-cell problems, and writing them back.
export { rowsToPoints, pointsToRows, pointIdFor, type MapReading } from './map-rows.ts';
export { readTable, writeTable, formatOf, decodeCsvBytes, type MapFormat } from './map-files.ts';
export { columnForHeader, COLUMNS } from './columns.ts';
