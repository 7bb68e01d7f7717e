import { api } from '../../../app/api/client';
import type { ListResponse, User } from '../../identity/types';
import { caseKeys } from '../api';
import type { Macro } from '../types';
import type { MacroInput, SlaPolicy, SlaPolicyInput, TeamDetail } from './types';

const id = (value: string) => encodeURIComponent(value);

export const casesAdminKeys = {
  slaPolicies: ['cases', 'sla-policies'] as const,
  /** Under the team list's key, so a change refreshes both. */
  team: (teamId: string) => [...caseKeys.teams, teamId] as const,
  /** Under the identity users' key, so a change to a user refreshes it. */
  staff: ['identity', 'users', 'staff'] as const,
};

export const casesAdminApi = {
  createMacro: (input: MacroInput) => api.post<Macro>('/api/cases/macros', input),
  updateMacro: (macroId: string, input: Partial<MacroInput>) =>
    api.patch<Macro>(`/api/cases/macros/${id(macroId)}`, input),
  deleteMacro: (macroId: string) => api.delete(`/api/cases/macros/${id(macroId)}`),

  slaPolicies: () => api.get<ListResponse<SlaPolicy>>('/api/cases/sla-policies'),
  createSlaPolicy: (input: SlaPolicyInput) => api.post<SlaPolicy>('/api/cases/sla-policies', input),
  /** The market of a policy cannot change. */
  updateSlaPolicy: (policyId: string, input: Omit<SlaPolicyInput, 'market'>) =>
    api.patch<SlaPolicy>(`/api/cases/sla-policies/${id(policyId)}`, input),
  deleteSlaPolicy: (policyId: string) => api.delete(`/api/cases/sla-policies/${id(policyId)}`),

  team: (teamId: string) => api.get<TeamDetail>(`/api/cases/teams/${id(teamId)}`),
  createTeam: (input: { name: string; markets: string[] }) => api.post<TeamDetail>('/api/cases/teams', input),
  updateTeam: (teamId: string, patch: { name?: string; markets?: string[] }) =>
    api.patch<TeamDetail>(`/api/cases/teams/${id(teamId)}`, patch),
  setTeamMembers: (teamId: string, userIds: string[]) =>
    api.put<TeamDetail>(`/api/cases/teams/${id(teamId)}/members`, { userIds }),
  /** Staff users who can become team members (at most 200, by name). */
  staff: () =>
    api.get<ListResponse<User> & { total: number }>('/api/identity/users', { kind: 'staff', limit: 200 }),
};
