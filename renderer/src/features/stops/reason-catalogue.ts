// The stop reasons operators pick from, kept once for the whole renderer: filled by every stops.list
// answer (which carries the catalogue) and, where no stop list is on screen, read once from
// kpis.machines — so the losses widget can name reasons ("No material") instead of showing codes.
import { create } from 'zustand';
import type { StopReason } from '../../../../shared/domain/machines.ts';
import { bridge } from '../../api/index.ts';

interface CatalogueState {
  reasons: readonly StopReason[];
}

export const useReasonCatalogue = create<CatalogueState>()(() => ({ reasons: [] }));

/** Keeps the catalogue of the latest answer (unchanged when it is the same). */
export function rememberReasons(reasons: readonly StopReason[]): void {
  const current = useReasonCatalogue.getState().reasons;
  if (JSON.stringify(current) !== JSON.stringify(reasons)) useReasonCatalogue.setState({ reasons });
}

let loading: Promise<void> | null = null;

/** Reads the catalogue once if nothing has filled it yet; a failure leaves codes shown as they are. */
export function loadReasons(): void {
  if (useReasonCatalogue.getState().reasons.length > 0 || loading) return;
  loading = bridge
    .call('kpis.machines', {})
    .then((settings) => rememberReasons(settings.stopReasons))
    .catch(() => undefined)
    .finally(() => {
      loading = null;
    });
}
