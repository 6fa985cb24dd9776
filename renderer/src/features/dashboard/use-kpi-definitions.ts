// The stored KPI definitions the widget editor offers as a tile's or gauge's source, read once when
// the editor opens (kpis.definitions). A core without the call offers none.
import { useEffect, useState } from 'react';
import { KpiDefinitionViewSchema } from '../../../../shared/contract/kpi-calls.ts';
import { callOptional } from '../widgets/optional-call.ts';

export interface KpiChoice {
  id: string;
  name: string;
  unit: string;
}

export type KpiChoices = { status: 'loading' } | { status: 'ready'; choices: KpiChoice[] } | { status: 'failed'; message: string };

/** The stored KPIs as choices for a source picker. */
export function useKpiDefinitions(): KpiChoices {
  const [choices, setChoices] = useState<KpiChoices>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    void callOptional('kpis.definitions', {}).then((result) => {
      if (!live) return;
      if (result.kind === 'failed') return setChoices({ status: 'failed', message: result.message });
      const parsed = KpiDefinitionViewSchema.array().safeParse(result.kind === 'ok' ? result.value : []);
      setChoices(
        parsed.success
          ? { status: 'ready', choices: parsed.data.map(({ definition }) => ({ id: definition.id, name: definition.name, unit: definition.unit })) }
          : { status: 'failed', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).slice(0, 3).join('; ') },
      );
    });
    return () => {
      live = false;
    };
  }, []);
  return choices;
}
