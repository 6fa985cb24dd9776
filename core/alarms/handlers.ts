// The alarm calls of the contract (shared/contract/alarm-calls.ts), served by an AlarmService. Who
// acknowledged or shelved is taken from the call's context, never from its input.
import type { z } from 'zod';
import type { AlarmCallName, AlarmCallOutput, AlarmCalls, DemoAlarmScenario } from '../../shared/contract/alarm-calls.ts';
import { AppError } from '../../shared/errors.ts';
import type { CallContext } from '../contract/dispatcher.ts';
import { actorOf, type AlarmService } from './alarm-service.ts';

export type AlarmHandlers = {
  [Name in AlarmCallName]: (
    input: z.output<AlarmCalls[Name]['input']>,
    context: CallContext,
  ) => Promise<AlarmCallOutput<Name>> | AlarmCallOutput<Name>;
};

export interface AlarmHandlerDeps {
  alarms: AlarmService;
  /** The demo plant, when it runs (demo.causeAlarm refuses otherwise). */
  demoPlant?: { causeAlarm(scenario: DemoAlarmScenario): void } | undefined;
}

export function createAlarmHandlers(deps: AlarmHandlerDeps): AlarmHandlers {
  const { alarms } = deps;
  return {
    'alarms.active': () => alarms.active(),
    'alarms.history': (input) => alarms.history(input),
    'alarms.acknowledge': ({ ids, comment }, context) => ({ acknowledged: alarms.acknowledge(ids, actorOf(context), comment) }),
    'alarms.shelve': ({ id, minutes, reason }, context) => alarms.shelve(id, minutes, reason, actorOf(context)),
    'alarms.unshelve': ({ id }, context) => alarms.unshelve(id, actorOf(context)),
    'alarmRules.list': () => ({ rules: alarms.rules() }),
    'alarmRules.save': ({ rule }) => alarms.saveRule(rule),
    'alarmRules.delete': ({ id }) => ({ deleted: alarms.deleteRule(id) }),
    'alarmNotifications.get': () => alarms.notificationSettings(),
    'alarmNotifications.set': ({ channels }) => alarms.setNotificationSettings(channels),
    'alarmNotifications.test': ({ channelId }, context) => alarms.testNotification(channelId, context.locale),
    'demo.causeAlarm': ({ scenario }) => {
      if (!deps.demoPlant) throw new AppError('unavailable', 'error.demoOff');
      deps.demoPlant.causeAlarm(scenario);
      return { scenario };
    },
  };
}
