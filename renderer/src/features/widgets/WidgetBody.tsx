// Picks a widget's component by its type.
import type { Widget } from '../../../../shared/domain/dashboards.ts';
import { AlarmList } from './AlarmList.tsx';
import { BarByShift } from './BarByShift.tsx';
import { EnergyByMachine } from './EnergyByMachine.tsx';
import { GaugeWidget } from './GaugeWidget.tsx';
import { MachineStatus } from './MachineStatus.tsx';
import { OeeBreakdown } from './OeeBreakdown.tsx';
import { StateTimeline } from './StateTimeline.tsx';
import { TrendWidget } from './TrendWidget.tsx';
import { ValueTile } from './ValueTile.tsx';
import { StopList } from '../stops/index.ts';
import { KpiGate } from './KpiGate.tsx';
import './widgets.css';

export function WidgetBody({ widget }: { widget: Widget }) {
  switch (widget.type) {
    case 'valueTile':
      return <ValueTile widget={widget} />;
    case 'gauge':
      return <GaugeWidget widget={widget} />;
    case 'machineStatus':
      return <MachineStatus widget={widget} />;
    case 'stateTimeline':
      return <StateTimeline widget={widget} />;
    case 'trend':
      return <TrendWidget widget={widget} />;
    case 'barByShift':
      return <BarByShift widget={widget} />;
    case 'oeeBreakdown':
      return <OeeBreakdown widget={widget} />;
    case 'energyByMachine':
      return <EnergyByMachine widget={widget} />;
    case 'alarmList':
      return <AlarmList widget={widget} />;
    case 'stopList':
      return (
        <KpiGate period="shift">
          <StopList machineId={widget.options.machineId} />
        </KpiGate>
      );
  }
}
