// The dashboard calls (shared/contract/dashboard-calls.ts), typed from their own contract so this page
// works before and after the calls join the contract's list; a core that does not serve them yet is
// told apart (not_found of dashboards.list) and the page falls back to the built-in overview.
import type { z } from 'zod';
import type { DashboardCallName, DashboardCalls } from '../../../../shared/contract/dashboard-calls.ts';
import { callByName } from '../widgets/optional-call.ts';

export type DashboardInput<Name extends DashboardCallName> = z.input<DashboardCalls[Name]['input']>;
export type DashboardOutput<Name extends DashboardCallName> = z.output<DashboardCalls[Name]['output']>;

export function callDashboards<Name extends DashboardCallName>(name: Name, input: DashboardInput<Name>): Promise<DashboardOutput<Name>> {
  return callByName(name, input) as Promise<DashboardOutput<Name>>;
}
