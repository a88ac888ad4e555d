import type {
  ActivityDto,
  AdministrationBody,
  BoardDto,
  BoardEventDto,
  BoardQuery,
  DeliveryNoteDto,
  DispatchBody,
  DisposalBody,
  FabricationSheetDto,
  IncomingDto,
  IsolatorDto,
  LabelFormatValue,
  PatientHistoryDto,
  PreparationDetailDto,
  RecallDto,
  VialScanDto,
  WeighingDto,
} from '@passerelle/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, postForBlob, withQuery } from '../../api/client.ts';

const enc = encodeURIComponent;
const BASE = '/pharmacy/compounding';

export const compoundingKeys = {
  all: ['compounding'] as const,
  board: (query: BoardQuery) => ['compounding', 'board', query] as const,
  isolators: ['compounding', 'isolators'] as const,
  preparation: (id: string) => ['compounding', 'preparation', id] as const,
  sheet: (id: string) => ['compounding', 'sheet', id] as const,
  deliveryNote: (id: string) => ['compounding', 'delivery-note', id] as const,
  recall: (lot: string, gtin: string | null) => ['compounding', 'recall', lot, gtin] as const,
  patientHistory: (id: string) => ['compounding', 'patient-history', id] as const,
  activity: (from: string, to: string) => ['compounding', 'activity', from, to] as const,
  incoming: ['compounding', 'incoming'] as const,
};

/*
 * The fabrication plan as the server stores it (the compounding core's PreparationPlan, sent as JSON): only the
 * fields the screens show are declared here.
 */
export interface PlanDrawView {
  source: 'reliquat' | 'new_vial';
  reliquatId: string | null;
  presentationId: string;
  lot: string | null;
  vialCount: number;
  volumeMl: number;
  amount: number;
  concentrationPerMl: number;
}

export interface PlanView {
  dose: number;
  doseUnit: string;
  draws: PlanDrawView[];
  vials: { presentationId: string; count: number; unitPriceEur: number }[];
  reconstitutions: { presentationId: string; vialCount: number; diluentId: string; volumeMlPerVial: number }[];
  drugVolumeMl: number;
  container: { id: string; kind: string; label: string; tareMassG: number; nominalVolumeMl: number };
  diluentId: string | null;
  diluentAdjustmentMl: number;
  finalVolumeMl: number;
  finalConcentrationPerMl: number;
  expectedFinishedMassG: number;
  overageAmount: number;
  wasteAmount: number;
  costEur: number;
  leftovers: { presentationId: string; lot: string | null; remainingVolumeMl: number; expiresAt: string | null }[];
  beyondUse: {
    expiresAt: string;
    temperatureC: { min: number; max: number };
    lightProtection: boolean;
    limitKind: 'stability' | 'default' | 'reliquat' | 'lot';
    limitRef: string | null;
  };
  warnings: string[];
}

export function asPlan(plan: unknown): PlanView | null {
  return plan && typeof plan === 'object' && Array.isArray((plan as PlanView).draws) ? (plan as PlanView) : null;
}

export function useBoard(query: BoardQuery) {
  return useQuery({
    queryKey: compoundingKeys.board(query),
    queryFn: () => api.get<BoardDto>(`${BASE}/board`, { ...query }),
  });
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Subscribes to the board's server-sent events and refreshes what is on screen on each state change, wherever
 * it was made. EventSource reconnects by itself (the server asks for a 3 s retry); the state says whether the
 * screen is live.
 */
export function useBoardEvents(onEvent?: (event: BoardEventDto) => void): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  // The latest callback, read when an event arrives: re-subscribing on each render would drop events.
  const callback = useRef(onEvent);
  callback.current = onEvent;
  useEffect(() => {
    const source = new EventSource(`/api/v1${BASE}/board/events`, { withCredentials: true });
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    source.addEventListener('preparation', (message) => {
      setState('live');
      void queryClient.invalidateQueries({ queryKey: compoundingKeys.all });
      try {
        callback.current?.(JSON.parse((message as MessageEvent<string>).data) as BoardEventDto);
      } catch {
        // A malformed event only costs the notification; the data were refreshed anyway.
      }
    });
    return () => source.close();
  }, [queryClient]);
  return state;
}

export function useIsolators(enabled = true) {
  return useQuery({
    queryKey: compoundingKeys.isolators,
    queryFn: () => api.get<{ items: IsolatorDto[] }>(`${BASE}/isolators`),
    enabled,
  });
}

export function usePreparation(id: string) {
  return useQuery({
    queryKey: compoundingKeys.preparation(id),
    queryFn: () => api.get<PreparationDetailDto>(`${BASE}/preparations/${enc(id)}`),
  });
}

export function useFabricationSheet(id: string, enabled = true) {
  return useQuery({
    queryKey: compoundingKeys.sheet(id),
    queryFn: () => api.get<FabricationSheetDto>(`${BASE}/preparations/${enc(id)}/fabrication-sheet`),
    enabled,
    retry: false,
  });
}

export function fabricationSheetPdfUrl(id: string): string {
  return `/api/v1${BASE}/preparations/${enc(id)}/fabrication-sheet.pdf`;
}

/** Every write on a preparation refreshes the preparation, its sheet and the board. */
function usePreparationMutation<TBody, TResult>(id: string, run: (body: TBody) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSettled: () => queryClient.invalidateQueries({ queryKey: compoundingKeys.all }),
    meta: { preparationId: id },
  });
}

const prep = (id: string, action: string) => `${BASE}/preparations/${enc(id)}/${action}`;

export function useStartCompounding(id: string) {
  return usePreparationMutation(id, (isolatorId: string) =>
    api.post<PreparationDetailDto>(prep(id, 'start'), { isolatorId }),
  );
}

export function useScanVial(id: string) {
  return usePreparationMutation(id, (barcode: string) => api.post<VialScanDto>(prep(id, 'scans'), { barcode }));
}

export interface WeighingInput {
  step: 'draw' | 'finished_product';
  drawIndex: number | null;
  source: 'manual' | 'balance';
  measuredG?: number | null;
}

export function useRecordWeighing(id: string) {
  return usePreparationMutation(id, (body: WeighingInput) => api.post<WeighingDto>(prep(id, 'weighings'), body));
}

export function useCompleteCompounding(id: string) {
  return usePreparationMutation(id, () => api.post<PreparationDetailDto>(prep(id, 'complete'), {}));
}

export function useSecondCheck(id: string) {
  return usePreparationMutation(id, (comment: string | null) =>
    api.post<PreparationDetailDto>(prep(id, 'check'), { comment }),
  );
}

/**
 * Prints a label: the document opens (or downloads) as soon as the server answers. This happens in the hook
 * itself, not in a per-call callback: recording the label moves the screen to the next step, which unmounts
 * the button that asked for it.
 */
export function usePrintLabel(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (format: LabelFormatValue) => postForBlob(prep(id, 'labels'), { format, copies: 1 }),
    onSuccess: ({ blob, filename }, format) => openBlob(blob, filename ?? `etiquette-${id}.${format}`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: compoundingKeys.all }),
  });
}

export function useRelease(id: string) {
  return usePreparationMutation(id, () => api.post<PreparationDetailDto>(prep(id, 'release'), {}));
}

export function useAdminister(id: string) {
  return usePreparationMutation(id, (body: AdministrationBody) =>
    api.post<PreparationDetailDto>(prep(id, 'administer'), body),
  );
}

export function useDispose(id: string) {
  return usePreparationMutation(id, (body: DisposalBody) => api.post<PreparationDetailDto>(prep(id, 'disposal'), body));
}

/** `onDispatched` runs before the refresh, which removes the dispatched group (and its button) from the screen. */
export function useDispatch(onDispatched: (note: DeliveryNoteDto) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DispatchBody) => api.post<DeliveryNoteDto>(`${BASE}/dispatches`, body),
    onSuccess: (note) => onDispatched(note),
    onSettled: () => queryClient.invalidateQueries({ queryKey: compoundingKeys.all }),
  });
}

export function useDeliveryNote(id: string | null) {
  return useQuery({
    queryKey: compoundingKeys.deliveryNote(id ?? ''),
    queryFn: () => api.get<DeliveryNoteDto>(`${BASE}/delivery-notes/${enc(id!)}`),
    enabled: !!id,
  });
}

export function useReceive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (payload: string) => api.post<PreparationDetailDto>(`${BASE}/receptions`, { payload }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: compoundingKeys.all }),
  });
}

/** What is on its way to the acting establishment's units and what they hold; refreshed every half-minute. */
export function useIncoming() {
  return useQuery({
    queryKey: compoundingKeys.incoming,
    queryFn: () => api.get<IncomingDto>(`${BASE}/incoming`),
    refetchInterval: 30_000,
  });
}

export function useRecall(lot: string, gtin: string | null) {
  return useQuery({
    queryKey: compoundingKeys.recall(lot, gtin),
    queryFn: () => api.get<RecallDto>('/pharmacy/traceability/lots', { lot, gtin }),
    enabled: lot.trim().length > 0,
    retry: false,
  });
}

export function recallCsvUrl(lot: string, gtin: string | null): string {
  return `/api/v1${withQuery('/pharmacy/traceability/lots', { lot, gtin, format: 'csv' })}`;
}

export function usePatientTraceability(patientId: string | null) {
  return useQuery({
    queryKey: compoundingKeys.patientHistory(patientId ?? ''),
    queryFn: () => api.get<PatientHistoryDto>(`/pharmacy/traceability/patients/${enc(patientId!)}`),
    enabled: !!patientId,
  });
}

export function useActivity(from: string, to: string) {
  return useQuery({
    queryKey: compoundingKeys.activity(from, to),
    queryFn: () => api.get<ActivityDto>('/pharmacy/activity', { from, to }),
    retry: false,
  });
}

export function activityCsvUrl(from: string, to: string): string {
  return `/api/v1${withQuery('/pharmacy/activity', { from, to, format: 'csv' })}`;
}

/** Opens a document the API answered (a label) in a new tab, or saves it when the browser cannot show it. */
export function openBlob(blob: Blob, filename: string | null): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  if (filename) link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
