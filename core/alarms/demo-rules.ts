// The demo plant's alarm rules, created the first time PlantDesk runs with the demo plant (a user who
// deletes one does not get it back): the moulding machine's barrel zone 3 high and high-high, the
// CNC's spindle load high and its machine-alarm stop, and the moulding machine not answering.
// `demo.causeAlarm {scenario: 'barrelOverheat'}` drives zone 3 to about 280 °C, past the high limit.
import { AlarmRuleListSchema, type AlarmRule, type AlarmRuleInput } from '../../shared/domain/alarms.ts';

const highMessage = {
  'zh-CN': '{{device}}：{{point}}过高，{{value}} {{unit}}（上限 {{limit}} {{unit}}）',
  en: '{{device}}: {{point}} high, {{value}} {{unit}} (limit {{limit}} {{unit}})',
};

const DEMO_RULES: AlarmRuleInput[] = [
  {
    id: 'demo.imm1.barrelZone3.high',
    kind: 'limit',
    pointId: 'demo-imm1.barrelZone3',
    level: 'H',
    limit: 255,
    deadband: 3,
    onDelayMs: 2000,
    severity: 'high',
    message: highMessage,
  },
  {
    id: 'demo.imm1.barrelZone3.highHigh',
    kind: 'limit',
    pointId: 'demo-imm1.barrelZone3',
    level: 'HH',
    limit: 290,
    deadband: 3,
    onDelayMs: 1000,
    severity: 'critical',
    message: {
      'zh-CN': '{{device}}：{{point}}严重超温，{{value}} {{unit}}（上上限 {{limit}} {{unit}}）',
      en: '{{device}}: {{point}} far too hot, {{value}} {{unit}} (high-high limit {{limit}} {{unit}})',
    },
  },
  {
    id: 'demo.cnc1.spindleLoad.high',
    kind: 'limit',
    pointId: 'demo-cnc1.spindleLoad',
    level: 'H',
    limit: 90,
    deadband: 5,
    onDelayMs: 5000,
    severity: 'medium',
    message: highMessage,
  },
  {
    id: 'demo.cnc1.state.machineAlarm',
    kind: 'state',
    pointId: 'demo-cnc1.state',
    values: [2],
    severity: 'medium',
    message: { 'zh-CN': '{{device}}：设备报警停机', en: '{{device}}: stopped on a machine alarm' },
  },
  {
    id: 'demo.imm1.disconnected',
    kind: 'disconnected',
    deviceId: 'demo-imm1',
    onDelayMs: 5000,
    severity: 'critical',
    message: { 'zh-CN': '{{device}}：通信中断，请检查网线和电源', en: '{{device}}: not answering. Check the cable and the power.' },
  },
];

/** The demo plant's rules, validated as a template's would be. */
export function demoAlarmRules(): AlarmRule[] {
  return AlarmRuleListSchema.parse(DEMO_RULES);
}
