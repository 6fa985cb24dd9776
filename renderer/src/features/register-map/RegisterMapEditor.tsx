// The register map of a device as a table, in the address style the device's manual uses: add,
// duplicate and delete rows, see each row's problems before saving, and "Read now" with the unsaved
// settings to see every value and its raw registers (which is how a word order is checked).
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressStyle } from '../../../../shared/domain/address.ts';
import type { Device, Point } from '../../../../shared/domain/devices.ts';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { ImportMapDialog } from './ImportMapDialog.tsx';
import { MapToolbar } from './MapToolbar.tsx';
import { duplicateDraft, newPointDraft, type MapCheck, type PointDraft } from './point-draft.ts';
import { MAP_COLUMNS, PointRow } from './PointRow.tsx';
import { useReadNow } from './use-read-now.ts';
import './register-map.css';

interface RegisterMapEditorProps {
  rows: PointDraft[];
  style: AddressStyle;
  errors: Record<string, FieldErrors>;
  check: MapCheck;
  onRowsChange(update: (rows: PointDraft[]) => PointDraft[]): void;
  onStyleChange(style: AddressStyle): void;
  buildDevice(): Device | null;
  /** Set once the device is saved: import and export work on the saved device. */
  savedDeviceId: string | null;
  deviceName: string;
  dirty: boolean;
  onImported(points: readonly Point[]): void;
}

export function RegisterMapEditor(props: RegisterMapEditorProps) {
  const { rows, style, errors, check, onRowsChange } = props;
  const { t } = useTranslation();
  const [importing, setImporting] = useState(false);
  const read = useReadNow(props.buildDevice, check, rows.length);
  const note = read.note && (read.note.rowKeys.length === 0 || read.note.rowKeys.some((key) => rows.some((row) => row.key === key))) ? read.note : null;

  const change = useCallback(
    (key: string, update: (row: PointDraft) => PointDraft) => onRowsChange((current) => current.map((row) => (row.key === key ? update(row) : row))),
    [onRowsChange],
  );
  const duplicate = useCallback(
    (key: string) =>
      onRowsChange((current) => {
        const index = current.findIndex((row) => row.key === key);
        if (index < 0) return current;
        const copy = duplicateDraft(current[index]!, current, style);
        return [...current.slice(0, index + 1), copy, ...current.slice(index + 1)];
      }),
    [onRowsChange, style],
  );
  const remove = useCallback((key: string) => onRowsChange((current) => current.filter((row) => row.key !== key)), [onRowsChange]);
  const add = () => onRowsChange((current) => [...current, newPointDraft(current.at(-1), style)]);

  return (
    <div className="register-map">
      <MapToolbar
        style={style}
        onStyleChange={props.onStyleChange}
        onAdd={add}
        onReadNow={() => void read.run()}
        reading={read.busy}
        onImport={() => setImporting(true)}
        savedDeviceId={props.savedDeviceId}
        dirty={props.dirty}
        pointCount={rows.length}
        problemCount={Object.values(errors).reduce((sum, row) => sum + Object.keys(row).length, 0)}
      />
      {note && <div className={`map-note map-note-${note.tone}`} data-testid="read-now-result">{note.text}</div>}
      {rows.length === 0 ? (
        <div className="map-empty">
          <p>{t('mapEditor.empty')}</p>
          <div className="map-empty-actions">
            <button type="button" className="btn btn-primary" onClick={add}>
              {t('mapEditor.addFirst')}
            </button>
            <button type="button" className="btn" onClick={() => setImporting(true)} disabled={!props.savedDeviceId}>
              {t('mapEditor.import')}
            </button>
          </div>
          {!props.savedDeviceId && <p className="field-hint">{t('mapEditor.saveBeforeImport')}</p>}
        </div>
      ) : (
        <div className="map-scroll">
          <table className="map-table" data-testid="map-table">
            <thead>
              <tr>
                <th className="map-index">#</th>
                {MAP_COLUMNS.map((column) => (
                  <th key={column} className={`map-${column}`} title={column === 'kind' ? t('mapEditor.kindHeaderHint') : undefined}>
                    {t(`mapEditor.column.${column}`)}
                  </th>
                ))}
                <th className="map-actions">
                  <span className="visually-hidden">{t('mapEditor.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <PointRow
                  key={row.key}
                  index={index}
                  row={row}
                  style={style}
                  errors={errors[row.key]}
                  reading={read.readings[row.key]}
                  onChange={change}
                  onDuplicate={duplicate}
                  onDelete={remove}
                />
              ))}
            </tbody>
          </table>
          <button type="button" className="btn btn-ghost map-add-bottom" onClick={add} data-testid="map-add-bottom">
            + {t('mapEditor.add')}
          </button>
        </div>
      )}
      {importing && props.savedDeviceId && (
        <ImportMapDialog
          deviceId={props.savedDeviceId}
          deviceName={props.deviceName}
          pointCount={rows.length}
          initialStyle={style}
          onImported={props.onImported}
          onClose={() => setImporting(false)}
        />
      )}
    </div>
  );
}
