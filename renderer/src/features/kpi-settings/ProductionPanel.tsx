// Settings → Production: the shift calendar, the machines and the electricity tariff the KPI engine
// computes OEE, losses and energy cost with. Each section saves on its own; the core checks what it
// gets and its refusal is shown as its sentence.
import { CalendarSection } from './CalendarSection.tsx';
import { MachinesSection } from './MachinesSection.tsx';
import { TariffSection } from './TariffSection.tsx';
import './kpi-settings.css';

export function ProductionPanel() {
  return (
    <div className="production" data-testid="production-panel">
      <CalendarSection />
      <MachinesSection />
      <TariffSection />
    </div>
  );
}
