import type {
  AnticipationProposalDto,
  PinBody,
  PinResultDto,
  ProductionPlanDto,
  ShiftsBody,
  ShiftsDto,
} from '@passerelle/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client.ts';

export const productionKeys = {
  all: ['production'] as const,
  plan: (day: string) => ['production', 'plan', day] as const,
  shifts: (day: string) => ['production', 'shifts', day] as const,
  anticipation: (day: string) => ['production', 'anticipation', day] as const,
};

/** The day's plan, refreshed every minute (the clock moves, preparations change state). */
export function usePlan(day: string) {
  return useQuery({
    queryKey: productionKeys.plan(day),
    queryFn: () => api.get<ProductionPlanDto>('/pharmacy/production/plan', { day }),
    refetchInterval: 60_000,
  });
}

export function usePin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PinBody) => api.post<PinResultDto>('/pharmacy/production/pins', body),
    onSuccess: (result) => {
      if (result.saved) void client.invalidateQueries({ queryKey: productionKeys.all });
    },
  });
}

export function useUnpin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (preparationId: string) => api.delete(`/pharmacy/production/pins/${preparationId}`),
    onSuccess: () => client.invalidateQueries({ queryKey: productionKeys.all }),
  });
}

export function useShifts(day: string) {
  return useQuery({
    queryKey: productionKeys.shifts(day),
    queryFn: () => api.get<ShiftsDto>('/pharmacy/production/shifts', { day }),
  });
}

export function useSaveShifts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: ShiftsBody) => api.put<ShiftsDto>('/pharmacy/production/shifts', body),
    onSuccess: () => client.invalidateQueries({ queryKey: productionKeys.all }),
  });
}

/** The latest proposal, or null when none was computed for that day yet. */
export function useAnticipation(day: string) {
  return useQuery({
    queryKey: productionKeys.anticipation(day),
    queryFn: async () => {
      try {
        return await api.get<AnticipationProposalDto>('/pharmacy/production/anticipation', { day });
      } catch (error) {
        if (isApiError(error, 'NOT_FOUND')) return null;
        throw error;
      }
    },
  });
}

export function useRunAnticipation(day: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<AnticipationProposalDto>(`/pharmacy/production/anticipation?day=${encodeURIComponent(day)}`, {}),
    onSuccess: (data) => client.setQueryData(productionKeys.anticipation(day), data),
  });
}
