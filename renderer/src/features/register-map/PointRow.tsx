// One point of the register map as a table row of inputs, its last "Read now" result beside it,
// and its problems in a line underneath (each bad cell is outlined).
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Reading } from '../../../../shared/contract/device-calls.ts';
import type { AddressStyle } from '../../../../shared/domain/address.ts';
import { DATA_TYPES, FUNCTIONS, POINT_KINDS, WORD_ORDERS, type Point } from '../../../../shared/domain/devices.ts';
import { useMessage } from '../../app/use-message.ts';
import { formatPointValue } from '../../format/format-value.ts';
import { TextInput } from '../../ui/Field.tsx';
import { CopyIcon, DeleteIcon } from '../../ui/icons.tsx';
import type { FieldErrors } from '../../validation/schema-errors.ts';
import { SCAN_CLASSES, withAddress, withDataType, withFunction, type PointDraft, type ScanClass } from './point-draft.ts';
import { formatRaw } from './raw-hex.ts';

export interface RowReading {
  reading: Reading;
  point: Point;
}

interface PointRowProps {
  index: number;
  row: PointDraft;
  style: AddressStyle;
  errors: FieldErrors | undefined;
  reading: RowReading | undefined;
  onChange(key: string, update: (row: PointDraft) => PointDraft): void;
  onDuplicate(key: string): void;
  onDelete(key: string): void;
}

/** Columns in the order of the table; the problem line names them by these. */
export const MAP_COLUMNS = [
  'name', 'address', 'function', 'dataType', 'bit', 'length', 'wordOrder', 'scale', 'offset', 'unit',
  'value', 'raw', 'deadband', 'scanMs', 'kind', 'writable', 'description',
] as const;

const ADDRESS_PLACEHOLDER: Record<AddressStyle, string> = { modicon: '40001', oneBased: '1', zeroBased: '0' };

export const PointRow = memo(function PointRow({ index, row, style, errors, reading, onChange, onDuplicate, onDelete }: PointRowProps) {
  const { t, i18n } = useTranslation();
  const say = useMessage();
  const set = (patch: Partial<PointDraft>) => onChange(row.key, (current) => ({ ...current, ...patch }));
  const bitArea = row.function === 'coil' || row.function === 'discrete';
  const input = (field: 'name' | 'bit' | 'length' | 'scale' | 'offset' | 'unit' | 'deadband' | 'description', props: { mono?: boolean; numeric?: boolean; disabled?: boolean; placeholder?: string } = {}) => (
    <td className={`map-cell map-${field}`}>
      <TextInput
        value={String(row[field] ?? '')}
        onChange={(value) => set({ [field]: value })}
        invalid={!!errors?.[field]}
        ariaLabel={`${t(`mapEditor.column.${field}`)} ${index + 1}`}
        testId={`map-${field}-${index}`}
        {...props}
      />
    </td>
  );
  const value = reading ? formatPointValue(reading.reading.value, reading.point, i18n.language) : null;
  const problems = errors ? Object.entries(errors) : [];
  return (
    <>
      <tr className={`map-row${problems.length > 0 ? ' has-problems' : ''}`} data-testid={`map-row-${index}`}>
        <td className="map-index">{index + 1}</td>
        {input('name', { placeholder: t('mapEditor.namePlaceholder') })}
        <td className="map-cell map-address">
          <TextInput
            value={row.address}
            onChange={(text) => onChange(row.key, (current) => withAddress(current, text, style))}
            invalid={!!errors?.address}
            mono
            placeholder={ADDRESS_PLACEHOLDER[style]}
            ariaLabel={`${t('mapEditor.column.address')} ${index + 1}`}
            testId={`map-address-${index}`}
          />
        </td>
        <td className="map-cell map-function">
          <select
            className="select"
            value={row.function}
            onChange={(event) => onChange(row.key, (current) => withFunction(current, event.target.value as Point['function'], style))}
            aria-label={`${t('mapEditor.column.function')} ${index + 1}`}
            data-testid={`map-function-${index}`}
          >
            {FUNCTIONS.map((fn) => (
              <option key={fn} value={fn}>
                {t(`mapEditor.function.${fn}`)}
              </option>
            ))}
          </select>
        </td>
        <td className="map-cell map-dataType">
          <select
            className="select"
            value={row.dataType}
            onChange={(event) => onChange(row.key, (current) => withDataType(current, event.target.value as Point['dataType']))}
            aria-invalid={errors?.dataType ? 'true' : undefined}
            aria-label={`${t('mapEditor.column.dataType')} ${index + 1}`}
            data-testid={`map-dataType-${index}`}
          >
            {DATA_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
        </td>
        {input('bit', { mono: true, numeric: true, disabled: row.dataType !== 'bit' })}
        {input('length', { mono: true, numeric: true, disabled: row.dataType !== 'string' })}
        <td className="map-cell map-wordOrder">
          <select
            className="select mono"
            value={row.wordOrder}
            onChange={(event) => set({ wordOrder: event.target.value as Point['wordOrder'] })}
            disabled={bitArea || row.dataType === 'bit'}
            aria-label={`${t('mapEditor.column.wordOrder')} ${index + 1}`}
            data-testid={`map-wordOrder-${index}`}
          >
            {WORD_ORDERS.map((order) => (
              <option key={order} value={order}>
                {order}
              </option>
            ))}
          </select>
        </td>
        {input('scale', { mono: true, numeric: true })}
        {input('offset', { mono: true, numeric: true })}
        {input('unit')}
        <td className={`map-read-value${reading?.reading.error ? ' is-error' : ''}`} data-testid={`map-value-${index}`} title={reading?.reading.error ?? undefined}>
          {reading ? (reading.reading.error ? t('mapEditor.readFailed') : (value ?? t('points.noValue'))) : ''}
        </td>
        <td className="map-read-raw mono" data-testid={`map-raw-${index}`}>
          {reading ? formatRaw(reading.reading.raw, reading.point.function) : ''}
        </td>
        {input('deadband', { mono: true, numeric: true })}
        <td className="map-cell map-scanMs">
          <span className="scan-class">
            <select
              className="select"
              value={row.scanClass}
              onChange={(event) => set({ scanClass: event.target.value as ScanClass })}
              aria-label={`${t('mapEditor.column.scanMs')} ${index + 1}`}
              data-testid={`map-scan-${index}`}
            >
              {[...SCAN_CLASSES, 'custom' as const].map((scanClass) => (
                <option key={scanClass} value={scanClass}>
                  {t(`mapEditor.scan.${scanClass}`)}
                </option>
              ))}
            </select>
            {row.scanClass === 'custom' && (
              <TextInput value={row.scanMs} onChange={(scanMs) => set({ scanMs })} invalid={!!errors?.scanMs} mono numeric ariaLabel={t('mapEditor.scanCustomMs')} className="scan-ms" />
            )}
          </span>
        </td>
        <td className="map-cell map-kind">
          <select
            className="select"
            value={row.kind}
            onChange={(event) => set({ kind: event.target.value as Point['kind'] })}
            title={t(`mapEditor.kindHint.${row.kind}`)}
            aria-label={`${t('mapEditor.column.kind')} ${index + 1}`}
            aria-description={t(`mapEditor.kindHint.${row.kind}`)}
            aria-invalid={errors?.kind ? 'true' : undefined}
            data-testid={`map-kind-${index}`}
          >
            {POINT_KINDS.map((kind) => (
              <option key={kind} value={kind} title={t(`mapEditor.kindHint.${kind}`)}>
                {t(`mapEditor.kind.${kind}`)}
              </option>
            ))}
          </select>
        </td>
        <td className="map-cell map-writable">
          <input
            type="checkbox"
            checked={row.writable}
            onChange={(event) => set({ writable: event.target.checked })}
            disabled={row.function === 'input' || row.function === 'discrete'}
            aria-label={`${t('mapEditor.column.writable')} ${index + 1}`}
            aria-invalid={errors?.writable ? 'true' : undefined}
          />
        </td>
        {input('description')}
        <td className="map-actions">
          <button type="button" className="btn btn-icon" onClick={() => onDuplicate(row.key)} title={t('mapEditor.duplicate')} aria-label={t('mapEditor.duplicate')} data-testid={`map-duplicate-${index}`}>
            <CopyIcon />
          </button>
          <button type="button" className="btn btn-icon" onClick={() => onDelete(row.key)} title={t('mapEditor.delete')} aria-label={t('mapEditor.delete')} data-testid={`map-delete-${index}`}>
            <DeleteIcon />
          </button>
        </td>
      </tr>
      {(problems.length > 0 || reading?.reading.error) && (
        <tr className="map-problems" data-testid={`map-problems-${index}`}>
          <td />
          <td colSpan={MAP_COLUMNS.length + 1}>
            {problems.map(([field, message]) => (
              <span key={field} className="map-problem">
                <strong>{t(`mapEditor.column.${field as (typeof MAP_COLUMNS)[number]}`, { defaultValue: field })}</strong> {say(message)}
              </span>
            ))}
            {reading?.reading.error && (
              <span className="map-problem map-read-error">
                <strong>{t('mapEditor.readNow')}</strong> {reading.reading.error}
              </span>
            )}
          </td>
        </tr>
      )}
    </>
  );
});
