import type {
  NmAccountDto,
  NmBookingBody,
  NmBookingDto,
  NmCounterDto,
  NmDayDto,
  NmDepartmentDto,
  NmEquipmentBody,
  NmEquipmentDto,
  NmExamTypeBody,
  NmExamTypeDto,
  NmPerformBody,
  NmPetDayDto,
  NmPlanningDto,
  NmProposalDto,
  NmSectorBody,
  NmSectorDto,
  NmSessionChangeBody,
  NmSessionDto,
  NmShareAgreementBody,
  NmShareAgreementDto,
  NmStaffBody,
  NmStaffDto,
  NmTariffBody,
  NmTariffDto,
} from '@passerelle/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

const BASE = '/nuclear-medicine';

export const nmKeys = {
  all: ['nm'] as const,
  department: ['nm', 'department'] as const,
  planning: (from: string, to: string) => ['nm', 'planning', from, to] as const,
  proposal: (month: string) => ['nm', 'proposal', month] as const,
  day: (date: string) => ['nm', 'day', date] as const,
  petDay: (date: string) => ['nm', 'pet-day', date] as const,
  counter: (from: string, to: string) => ['nm', 'counter', from, to] as const,
  accounts: ['nm', 'accounts'] as const,
};

export function useDepartment() {
  return useQuery({ queryKey: nmKeys.department, queryFn: () => api.get<NmDepartmentDto>(`${BASE}/department`) });
}

export function usePlanning(from: string, to: string) {
  return useQuery({
    queryKey: nmKeys.planning(from, to),
    queryFn: () => api.get<NmPlanningDto>(`${BASE}/planning`, { from, to }),
    placeholderData: keepPreviousData,
  });
}

export function useProposal(month: string | null) {
  return useQuery({
    queryKey: nmKeys.proposal(month ?? ''),
    queryFn: () => api.get<NmProposalDto>(`${BASE}/planning/proposal`, { month }),
    enabled: !!month,
  });
}

/** Every write invalidates the module's reads: planning, day, counter and PET sheet move together. */
function useNmMutation<TBody, TResult>(fn: (body: TBody) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: nmKeys.all }) });
}

export const useAcceptProposal = () =>
  useNmMutation((month: string) =>
    api.post<{ month: string; created: number }>(`${BASE}/planning/proposal/accept`, { month }),
  );

export const useChangeSession = () =>
  useNmMutation(({ id, ...body }: NmSessionChangeBody & { id: string }) =>
    api.post<NmSessionDto>(`${BASE}/sessions/${encodeURIComponent(id)}/change`, body),
  );

export function useDay(date: string) {
  return useQuery({
    queryKey: nmKeys.day(date),
    queryFn: () => api.get<NmDayDto>(`${BASE}/day`, { date }),
    placeholderData: keepPreviousData,
  });
}

export const useBook = () => useNmMutation((body: NmBookingBody) => api.post<NmBookingDto>(`${BASE}/bookings`, body));

export const usePerform = () =>
  useNmMutation(({ id, ...body }: NmPerformBody & { id: string }) =>
    api.post<{ id: string; valueEur: number }>(`${BASE}/bookings/${encodeURIComponent(id)}/perform`, body),
  );

export function usePetDay(date: string) {
  return useQuery({
    queryKey: nmKeys.petDay(date),
    queryFn: () => api.get<NmPetDayDto>(`${BASE}/pet-day`, { date }),
    placeholderData: keepPreviousData,
  });
}

export const useSaveDeliveries = () =>
  useNmMutation((body: { date: string; calibrationMins: number[] }) =>
    api.post<NmPetDayDto>(`${BASE}/pet-day/deliveries`, body),
  );

export const useApplyOrder = () =>
  useNmMutation((date: string) => api.post<NmPetDayDto>(`${BASE}/pet-day/apply-order`, { date }));

export const useMeasureDelivery = () =>
  useNmMutation(({ id, ...body }: { id: string; measuredMBq: number; wasteMBq: number }) =>
    api.post<NmPetDayDto>(`${BASE}/deliveries/${encodeURIComponent(id)}/measure`, body),
  );

export const useAddClosure = () =>
  useNmMutation((body: { equipmentId: string; startsOn: string; endsOn: string; reason: string }) =>
    api.post<unknown>(`${BASE}/closures`, body),
  );

export const useAddAbsence = () =>
  useNmMutation((body: { staffId: string; startsOn: string; endsOn: string; reason: string }) =>
    api.post<unknown>(`${BASE}/absences`, body),
  );

export function useCounter(from: string, to: string) {
  return useQuery({
    queryKey: nmKeys.counter(from, to),
    queryFn: () => api.get<NmCounterDto>(`${BASE}/counter`, { from, to }),
    placeholderData: keepPreviousData,
  });
}

/** The CSV export is a plain download: a GET carrying the session cookie. */
export const counterExportUrl = (month: string, sectorId: string) =>
  `/api/v1${BASE}/counter/export?month=${encodeURIComponent(month)}&sectorId=${encodeURIComponent(sectorId)}`;

/** 'HH:MM' of a minute of the day, and back. */
export const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
export function parseHhmm(text: string): number | null {
  const m = /^\s*(\d{1,2})[:h](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** Current month, and a month moved by n. */
export const currentMonth = (now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(now);
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1 + n, 1)).toISOString().slice(0, 7);
}
export function monthDays(month: string): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}
export const isWeekend = (date: string) => {
  const d = new Date(`${date}T12:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
};

// --- department configuration ---------------------------------------------------------------------------

export const useAddSector = () => useNmMutation((body: NmSectorBody) => api.post<NmSectorDto>(`${BASE}/sectors`, body));

export const useAddEquipment = () =>
  useNmMutation((body: NmEquipmentBody) => api.post<NmEquipmentDto>(`${BASE}/equipment`, body));

export const useAddStaff = () => useNmMutation((body: NmStaffBody) => api.post<NmStaffDto>(`${BASE}/staff`, body));

export const useAddExamType = () =>
  useNmMutation((body: NmExamTypeBody) => api.post<NmExamTypeDto>(`${BASE}/exam-types`, body));

export const useAddShareAgreement = () =>
  useNmMutation((body: NmShareAgreementBody) => api.post<NmShareAgreementDto>(`${BASE}/share-agreements`, body));

/** The cooperation's accounts a team member may be linked to (names, usernames, roles). */
export const useNmAccounts = () =>
  useQuery({
    queryKey: nmKeys.accounts,
    queryFn: () => api.get<{ items: NmAccountDto[] }>(`${BASE}/accounts`),
  });

/** Creates the code's tariff, or replaces it when the code is already listed. */
export const useSetTariff = () => useNmMutation((body: NmTariffBody) => api.post<NmTariffDto>(`${BASE}/tariffs`, body));
