import { Button, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Link } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { HomePage } from '../features/home/HomePage.tsx';
import { RequirePermission } from './RequirePermission.tsx';
import { RequireSession } from './RequireSession.tsx';
import { Loading } from '../components/Loading.tsx';

/**
 * A page loaded on first visit (its own chunk), so that signing in does not download every module of the
 * platform; the sign-in and home pages stay in the main bundle.
 */
function lazyPage<M extends Record<string, unknown>, K extends keyof M & string>(load: () => Promise<M>, name: K) {
  const Page = lazy(() => load().then((module) => ({ default: module[name] as ComponentType })));
  return function LazyPage() {
    return (
      <Suspense fallback={<Loading />}>
        <Page />
      </Suspense>
    );
  };
}

const AcknowledgePage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'AcknowledgePage');
const OralBoardPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralBoardPage');
const OralDirectoryPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralDirectoryPage');
const OralFollowUpPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralFollowUpPage');
const OralNewTreatmentPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralNewTreatmentPage');
const OralReceivedPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralReceivedPage');
const OralSettingsPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralSettingsPage');
const OralTreatmentPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'OralTreatmentPage');
const PatientFormPage = lazyPage(() => import('../features/oral-pathway/index.ts'), 'PatientFormPage');
const JobsPage = lazyPage(() => import('../features/admin/JobsPage.tsx'), 'JobsPage');
const RolePoliciesPage = lazyPage(() => import('../features/admin/RolePoliciesPage.tsx'), 'RolePoliciesPage');
const UserCreatePage = lazyPage(() => import('../features/admin/UserCreatePage.tsx'), 'UserCreatePage');
const UserPage = lazyPage(() => import('../features/admin/UserPage.tsx'), 'UserPage');
const UsersPage = lazyPage(() => import('../features/admin/UsersPage.tsx'), 'UsersPage');
const AuditPage = lazyPage(() => import('../features/audit/AuditPage.tsx'), 'AuditPage');
const AccountPage = lazyPage(() => import('../features/auth/AccountPage.tsx'), 'AccountPage');
const OrganisationPage = lazyPage(() => import('../features/organisation/OrganisationPage.tsx'), 'OrganisationPage');
const IdentityAlertsPage = lazyPage(() => import('../features/patients/IdentityAlertsPage.tsx'), 'IdentityAlertsPage');
const PatientCreatePage = lazyPage(() => import('../features/patients/PatientCreatePage.tsx'), 'PatientCreatePage');
const PatientPage = lazyPage(() => import('../features/patients/PatientPage.tsx'), 'PatientPage');
const PatientSearchPage = lazyPage(() => import('../features/patients/PatientSearchPage.tsx'), 'PatientSearchPage');
const DayHospitalPage = lazyPage(() => import('../features/pharmacy/DayHospitalPage.tsx'), 'DayHospitalPage');
const PrescribePage = lazyPage(() => import('../features/pharmacy/PrescribePage.tsx'), 'PrescribePage');
const PrescriptionPage = lazyPage(() => import('../features/pharmacy/PrescriptionPage.tsx'), 'PrescriptionPage');
const ReferentialPage = lazyPage(() => import('../features/pharmacy/ReferentialPage.tsx'), 'ReferentialPage');
const ValidationQueuePage = lazyPage(
  () => import('../features/pharmacy/ValidationQueuePage.tsx'),
  'ValidationQueuePage',
);
const ConfigurationPage = lazyPage(
  () => import('../features/nuclear-medicine/ConfigurationPage.tsx'),
  'ConfigurationPage',
);
const CounterPage = lazyPage(() => import('../features/nuclear-medicine/CounterPage.tsx'), 'CounterPage');
const DayPage = lazyPage(() => import('../features/nuclear-medicine/DayPage.tsx'), 'DayPage');
const PetOrderPage = lazyPage(() => import('../features/nuclear-medicine/PetOrderPage.tsx'), 'PetOrderPage');
const PlanningPage = lazyPage(() => import('../features/nuclear-medicine/PlanningPage.tsx'), 'PlanningPage');
const ActivityPage = lazyPage(() => import('../features/compounding/ActivityPage.tsx'), 'ActivityPage');
const BoardPage = lazyPage(() => import('../features/compounding/BoardPage.tsx'), 'BoardPage');
const DeliveryNotePage = lazyPage(() => import('../features/compounding/DeliveryNotePage.tsx'), 'DeliveryNotePage');
const DispatchPage = lazyPage(() => import('../features/compounding/DispatchPage.tsx'), 'DispatchPage');
const PreparationPage = lazyPage(() => import('../features/compounding/PreparationPage.tsx'), 'PreparationPage');
const ReceptionPage = lazyPage(() => import('../features/compounding/ReceptionPage.tsx'), 'ReceptionPage');
const RecallPage = lazyPage(() => import('../features/compounding/RecallPage.tsx'), 'RecallPage');
const ProductionPlanPage = lazyPage(
  () => import('../features/production/ProductionPlanPage.tsx'),
  'ProductionPlanPage',
);

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
