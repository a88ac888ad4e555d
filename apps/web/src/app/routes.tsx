import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link } from 'react-router';
import { JobsPage } from '../features/admin/JobsPage.tsx';
import { RolePoliciesPage } from '../features/admin/RolePoliciesPage.tsx';
import { UserCreatePage } from '../features/admin/UserCreatePage.tsx';
import { UserPage } from '../features/admin/UserPage.tsx';
import { UsersPage } from '../features/admin/UsersPage.tsx';
import { AuditPage } from '../features/audit/AuditPage.tsx';
import { AccountPage } from '../features/auth/AccountPage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { OrganisationPage } from '../features/organisation/OrganisationPage.tsx';
import {
  AcknowledgePage,
  OralBoardPage,
  OralDirectoryPage,
  OralFollowUpPage,
  OralNewTreatmentPage,
  OralReceivedPage,
  OralSettingsPage,
  OralTreatmentPage,
  PatientFormPage,
} from '../features/oral-pathway/index.ts';
import { IdentityAlertsPage } from '../features/patients/IdentityAlertsPage.tsx';
import { PatientCreatePage } from '../features/patients/PatientCreatePage.tsx';
import { PatientPage } from '../features/patients/PatientPage.tsx';
import { PatientSearchPage } from '../features/patients/PatientSearchPage.tsx';
import { DayHospitalPage } from '../features/pharmacy/DayHospitalPage.tsx';
import { PrescribePage } from '../features/pharmacy/PrescribePage.tsx';
import { PrescriptionPage } from '../features/pharmacy/PrescriptionPage.tsx';
import { ReferentialPage } from '../features/pharmacy/ReferentialPage.tsx';
import { ValidationQueuePage } from '../features/pharmacy/ValidationQueuePage.tsx';
import { ConfigurationPage } from '../features/nuclear-medicine/ConfigurationPage.tsx';
import { CounterPage } from '../features/nuclear-medicine/CounterPage.tsx';
import { DayPage } from '../features/nuclear-medicine/DayPage.tsx';
import { PetOrderPage } from '../features/nuclear-medicine/PetOrderPage.tsx';
import { PlanningPage } from '../features/nuclear-medicine/PlanningPage.tsx';
// Compounding (issue 4)
import { ActivityPage } from '../features/compounding/ActivityPage.tsx';
import { BoardPage } from '../features/compounding/BoardPage.tsx';
import { DeliveryNotePage } from '../features/compounding/DeliveryNotePage.tsx';
import { DispatchPage } from '../features/compounding/DispatchPage.tsx';
import { PreparationPage } from '../features/compounding/PreparationPage.tsx';
import { ReceptionPage } from '../features/compounding/ReceptionPage.tsx';
import { RecallPage } from '../features/compounding/RecallPage.tsx';
import { ProductionPlanPage } from '../features/production/ProductionPlanPage.tsx';
import { RequirePermission } from './RequirePermission.tsx';
import { RequireSession } from './RequireSession.tsx';

function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start">
      <Title order={1} size="h2">
        {t('common.notFoundTitle')}
      </Title>
      <Text>{t('common.notFoundText')}</Text>
      <Button component={Link} to="/" variant="default">
        {t('nav.home')}
      </Button>
    </Stack>
  );
}

const guarded = (permission: string, element: React.ReactNode) => (
  <RequirePermission permission={permission}>{element}</RequirePermission>
);

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  // Oral anticancer pathway, without an account: the patient's form and the community acknowledgement.
  { path: '/suivi', element: <PatientFormPage /> },
  { path: '/accuse-reception', element: <AcknowledgePage /> },
  {
    path: '/',
    element: <RequireSession />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'account', element: <AccountPage /> },
      { path: 'patients', element: guarded('patient:read', <PatientSearchPage />) },
      { path: 'patients/new', element: guarded('patient:write', <PatientCreatePage />) },
      { path: 'patients/:id', element: guarded('patient:read', <PatientPage />) },
      { path: 'patients/:id/chemotherapy', element: guarded('prescription:read', <PrescribePage />) },
      { path: 'pharmacy/day-hospital', element: guarded('prescription:read', <DayHospitalPage />) },
      { path: 'pharmacy/validation', element: guarded('prescription:validate', <ValidationQueuePage />) },
      { path: 'pharmacy/prescriptions/:id', element: guarded('prescription:read', <PrescriptionPage />) },
      { path: 'pharmacy/referential', element: guarded('referential:read', <ReferentialPage />) },
      // --- Oral anticancer pathway
      { path: 'oral', element: guarded('oral:read', <OralBoardPage />) },
      { path: 'oral/new', element: guarded('oral:consult_medical', <OralNewTreatmentPage />) },
      { path: 'oral/treatments/:id', element: guarded('oral:read', <OralTreatmentPage />) },
      { path: 'oral/follow-up', element: guarded('oral:followup', <OralFollowUpPage />) },
      { path: 'oral/directory', element: guarded('oral:read', <OralDirectoryPage />) },
      { path: 'oral/received', element: guarded('oral:received', <OralReceivedPage />) },
      { path: 'oral/settings', element: guarded('oral:configure', <OralSettingsPage />) },
      // --- end oral anticancer pathway
      { path: 'nuclear-medicine/planning', element: guarded('nm:read', <PlanningPage />) },
      { path: 'nuclear-medicine/counter', element: guarded('nm:read', <CounterPage />) },
      { path: 'nuclear-medicine/day', element: guarded('nm:book', <DayPage />) },
      { path: 'nuclear-medicine/pet-order', element: guarded('nm:book', <PetOrderPage />) },
      { path: 'nuclear-medicine/configuration', element: guarded('nm:configure', <ConfigurationPage />) },
      // Compounding (issue 4)
      { path: 'pharmacy/production', element: guarded('compounding:run', <BoardPage />) },
      { path: 'pharmacy/preparations/:id', element: guarded('prescription:read', <PreparationPage />) },
      { path: 'pharmacy/dispatch', element: guarded('preparation:dispatch', <DispatchPage />) },
      { path: 'pharmacy/delivery-notes/:id', element: guarded('prescription:read', <DeliveryNotePage />) },
      { path: 'pharmacy/reception', element: guarded('preparation:receive', <ReceptionPage />) },
      { path: 'pharmacy/recall', element: guarded('traceability:read', <RecallPage />) },
      { path: 'pharmacy/activity', element: guarded('activity:read', <ActivityPage />) },
      { path: 'pharmacy/planning', element: guarded('planner:read', <ProductionPlanPage />) },
      { path: 'identity-alerts', element: guarded('patient:identity_review', <IdentityAlertsPage />) },
      { path: 'organisation', element: guarded('organisation:read', <OrganisationPage />) },
      { path: 'admin/users', element: guarded('users:manage', <UsersPage />) },
      { path: 'admin/users/new', element: guarded('users:manage', <UserCreatePage />) },
      { path: 'admin/users/:id', element: guarded('users:manage', <UserPage />) },
      { path: 'admin/roles', element: guarded('users:manage', <RolePoliciesPage />) },
      { path: 'audit', element: guarded('audit:read', <AuditPage />) },
      { path: 'jobs', element: guarded('jobs:read', <JobsPage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
