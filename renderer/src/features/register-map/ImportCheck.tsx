// What the check of a register map file found: how many rows are good, and each problem by the row
// and column a spreadsheet shows, so the technician can find it in the file.
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../shared/contract/calls.ts';
import { Notice } from '../../ui/Notice.tsx';
import { summariseCheck } from './map-files.ts';

export function ImportCheck({ check }: { check: CallOutput<'points.importMap'> }) {
  const { t } = useTranslation();
  const summary = summariseCheck(check);
  return (
    <>
      <Notice tone={summary.clean ? 'good' : summary.goodRows > 0 ? 'warn' : 'bad'} testId="import-summary">
        {summary.clean ? t('import.clean', { count: summary.goodRows }) : t('import.withProblems', { good: summary.goodRows, problems: summary.problems })}
      </Notice>
      {check.problems.length > 0 && (
        <div className="import-problems">
          <table className="data-table" data-testid="import-problems">
            <thead>
              <tr>
                <th>{t('import.row')}</th>
                <th>{t('import.column')}</th>
                <th>{t('import.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {check.problems.map((problem, index) => (
                <tr key={index} data-testid="import-problem">
                  <td className="import-row">{problem.row}</td>
                  <td className="import-column">{problem.column}</td>
                  <td>{problem.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
