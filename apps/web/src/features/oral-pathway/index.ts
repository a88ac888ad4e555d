export { OralBoardPage } from './OralBoardPage.tsx';
export { OralDirectoryPage } from './OralDirectoryPage.tsx';
export { OralFollowUpPage } from './OralFollowUpPage.tsx';
export { OralNewTreatmentPage } from './OralNewTreatmentPage.tsx';
export { OralReceivedPage } from './OralReceivedPage.tsx';
export { OralSettingsPage } from './OralSettingsPage.tsx';
export { OralTreatmentPage } from './OralTreatmentPage.tsx';
export { AcknowledgePage, PatientFormPage } from './PublicPages.tsx';
