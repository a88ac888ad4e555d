import type {
  CallRecordBody,
  CommunityProfessionalBody,
  CommunityProfessionalDto,
  InteractionFindingDto,
  MedicalConsultationBody,
  NursingConsultationBody,
  OralAlertDto,
  OralCallDto,
  OralIndicatorsDto,
  OralPacketDto,
  OralPlanChangeBody,
  OralStatusChangeBody,
  OralReferentialDto,
  OralTreatmentCreateBody,
  OralTreatmentDto,
  OralTreatmentSummaryDto,
  PatientFormDto,
  PatientLinkDto,
  PatientReportBody,
  PharmaceuticalConsultationBody,
  ReceivedPacketDto,
} from '@passerelle/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

const enc = encodeURIComponent;

export const oralKeys = {
  all: ['oral'] as const,
  referential: ['oral', 'referential'] as const,
  board: ['oral', 'board'] as const,
  treatment: (id: string) => ['oral', 'treatment', id] as const,
  directory: ['oral', 'directory'] as const,
  worklist: ['oral', 'worklist'] as const,
  alerts: (status: 'open' | 'handled') => ['oral', 'alerts', status] as const,
  indicators: ['oral', 'indicators'] as const,
  received: ['oral', 'received'] as const,
};

export function useOralReferential() {
  return useQuery({
    queryKey: oralKeys.referential,
    queryFn: () => api.get<OralReferentialDto>('/oral/referential'),
    staleTime: Infinity,
  });
}

export function useOralBoard() {
  return useQuery({
    queryKey: oralKeys.board,
    queryFn: () => api.get<{ items: OralTreatmentSummaryDto[] }>('/oral/treatments'),
  });
}

export function useOralIndicators() {
  return useQuery({ queryKey: oralKeys.indicators, queryFn: () => api.get<OralIndicatorsDto>('/oral/indicators') });
}

export function useOralTreatment(id: string) {
  return useQuery({
    queryKey: oralKeys.treatment(id),
    queryFn: () => api.get<OralTreatmentDto>(`/oral/treatments/${enc(id)}`),
  });
}

/** Every mutation on a treatment returns it (or touches it): refresh the pathway's queries. */
function useOralMutation<TBody, TResult>(fn: (body: TBody) => Promise<TResult>, treatmentId?: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data) => {
      if (treatmentId && data && typeof data === 'object' && 'consultationRecords' in data) {
        queryClient.setQueryData(oralKeys.treatment(treatmentId), data);
      }
      void queryClient.invalidateQueries({ queryKey: oralKeys.all });
    },
  });
}

export function useCreateTreatment() {
  return useOralMutation((body: OralTreatmentCreateBody) => api.post<OralTreatmentDto>('/oral/treatments', body));
}

export function useChangePlan(id: string) {
  return useOralMutation(
    (body: OralPlanChangeBody) => api.post<OralTreatmentDto>(`/oral/treatments/${enc(id)}/plan`, body),
    id,
  );
}

export function useChangeStatus(id: string) {
  return useOralMutation(
    (body: OralStatusChangeBody) => api.post<OralTreatmentDto>(`/oral/treatments/${enc(id)}/status`, body),
    id,
  );
}

export function useRecordConsultation(id: string) {
  return useOralMutation(
    (
      input:
        | { kind: 'medical'; body: MedicalConsultationBody }
        | { kind: 'pharmaceutical'; body: PharmaceuticalConsultationBody }
        | { kind: 'nursing'; body: NursingConsultationBody },
    ) => api.post<OralTreatmentDto>(`/oral/treatments/${enc(id)}/consultations/${input.kind}`, input.body),
    id,
  );
}

export function useInteractionCheck() {
  return useMutation({
    mutationFn: (body: { drugCode: string; reconciliation: PharmaceuticalConsultationBody['reconciliation'] }) =>
      api.post<{ items: InteractionFindingDto[] }>('/oral/interaction-check', body),
  });
}

export function useSendPackets(id: string) {
  return useOralMutation(
    (recipientIds: string[]) =>
      api.post<{ items: OralPacketDto[] }>(`/oral/treatments/${enc(id)}/packets`, { recipientIds }),
    id,
  );
}

export function usePacketAction(id: string) {
  return useOralMutation(
    (input: { packetId: string; action: 'resend' | 'acknowledge' }) =>
      api.post<OralPacketDto>(`/oral/packets/${enc(input.packetId)}/${input.action}`, {}),
    id,
  );
}

export function usePatientLink(id: string) {
  return useMutation({ mutationFn: () => api.post<PatientLinkDto>(`/oral/treatments/${enc(id)}/patient-links`, {}) });
}

export function useDirectory() {
  return useQuery({
    queryKey: oralKeys.directory,
    queryFn: () => api.get<{ items: CommunityProfessionalDto[] }>('/oral/community-professionals'),
  });
}

export function useAddCommunityProfessional() {
  return useOralMutation((body: CommunityProfessionalBody) =>
    api.post<CommunityProfessionalDto>('/oral/community-professionals', body),
  );
}

export function useWorklist() {
  return useQuery({
    queryKey: oralKeys.worklist,
    queryFn: () =>
      api.get<{
        items: (OralCallDto & { patient: { id: string; displayName: string; birthDate: string }; drugName: string })[];
      }>('/oral/worklist', { horizonDays: 7 }),
  });
}

export function useRecordCall(treatmentId?: string) {
  return useOralMutation(
    (input: { callId: string; body: CallRecordBody }) =>
      api.post<OralCallDto & { alertsRaised: number }>(`/oral/calls/${enc(input.callId)}`, input.body),
    treatmentId,
  );
}

export function useAlerts(status: 'open' | 'handled') {
  return useQuery({
    queryKey: oralKeys.alerts(status),
    queryFn: () => api.get<{ items: OralAlertDto[] }>('/oral/alerts', { status }),
  });
}

export function useHandleAlert() {
  return useOralMutation((input: { alertId: string; note: string }) =>
    api.post<OralAlertDto>(`/oral/alerts/${enc(input.alertId)}/handle`, { note: input.note }),
  );
}

export function useReceived() {
  return useQuery({
    queryKey: oralKeys.received,
    queryFn: () => api.get<{ items: ReceivedPacketDto[] }>('/oral/received'),
  });
}

// --- without an account ---------------------------------------------------------------------------------

export function usePatientForm(token: string) {
  return useQuery({
    queryKey: ['oral', 'patient-form', token],
    queryFn: () => api.get<PatientFormDto>(`/public/oral/forms/${enc(token)}`, undefined, { quiet: true }),
    enabled: token.length >= 20,
    retry: false,
  });
}

export function useSubmitPatientReport(token: string) {
  return useMutation({
    mutationFn: (body: PatientReportBody) =>
      api.post<{ received: true; alertsRaised: number }>(`/public/oral/forms/${enc(token)}`, body, { quiet: true }),
  });
}

export function useAcknowledge() {
  return useMutation({
    mutationFn: (token: string) =>
      api.post<{ acknowledgedAt: string }>('/public/oral/acknowledgements', { token }, { quiet: true }),
  });
}
