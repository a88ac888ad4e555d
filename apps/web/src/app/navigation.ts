import {
  IconAdjustmentsHorizontal,
  IconAtom,
  IconBuildingHospital,
  IconBook,
  IconCalendarEvent,
  IconChartLine,
  IconClipboardList,
  IconChartBar,
  IconFlask,
  IconPackageImport,
  IconTruckDelivery,
  IconZoomScan,
  IconClipboardCheck,
  IconClockPlay,
  IconTimeline,
  IconDroplet,
  IconFingerprint,
  IconHome,
  IconListSearch,
  IconShieldCheck,
  IconUsers,
  IconUserSearch,
  // Oral anticancer pathway.
  IconAddressBook,
  IconMailbox,
  IconPhoneCall,
  IconPill,
  IconSettings,
  type Icon,
} from '@tabler/icons-react';

export interface NavItem {
  to: string;
  /** Key under `nav.` in the translations. */
  label:
    | 'home'
    | 'patients'
    | 'identityAlerts'
    | 'dayHospital'
    | 'validationQueue'
    | 'referential'
    // Compounding (issue 4)
    | 'production'
    | 'dispatch'
    | 'reception'
    | 'recall'
    | 'activity'
    | 'productionPlan'
    | 'organisation'
    | 'users'
    | 'rolePolicies'
    | 'audit'
    | 'jobs'
    // Oral anticancer pathway.
    | 'oralBoard'
    | 'oralFollowUp'
    | 'oralDirectory'
    | 'oralReceived'
    | 'oralSettings'
    | 'nmPlanning'
    | 'nmDay'
    | 'nmPetOrder'
    | 'nmCounter'
    | 'nmConfiguration';
  icon: Icon;
  /** The permission the module needs at the current establishment; none for the home page. */
  permission?: string;
  section: 'main' | 'care' | 'administration';
  end?: boolean;
}

/** Only modules that exist are listed, and each only for the roles that may use it. */
export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'home', icon: IconHome, section: 'main', end: true },
  { to: '/patients', label: 'patients', icon: IconUserSearch, permission: 'patient:read', section: 'care' },
  {
    to: '/identity-alerts',
    label: 'identityAlerts',
    icon: IconFingerprint,
    permission: 'patient:identity_review',
    section: 'care',
  },
  {
    to: '/pharmacy/day-hospital',
    label: 'dayHospital',
    icon: IconDroplet,
    permission: 'fit_to_treat:record',
    section: 'care',
  },
  {
    to: '/pharmacy/validation',
    label: 'validationQueue',
    icon: IconClipboardCheck,
    permission: 'prescription:validate',
    section: 'care',
  },
  {
    to: '/pharmacy/planning',
    label: 'productionPlan',
    icon: IconTimeline,
    permission: 'planner:read',
    section: 'care',
  },
  {
    to: '/pharmacy/referential',
    label: 'referential',
    icon: IconBook,
    permission: 'referential:read',
    section: 'care',
  },
  // --- Oral anticancer pathway
  { to: '/oral', label: 'oralBoard', icon: IconPill, permission: 'oral:read', section: 'care', end: true },
  { to: '/oral/follow-up', label: 'oralFollowUp', icon: IconPhoneCall, permission: 'oral:followup', section: 'care' },
  { to: '/oral/directory', label: 'oralDirectory', icon: IconAddressBook, permission: 'oral:read', section: 'care' },
  { to: '/oral/received', label: 'oralReceived', icon: IconMailbox, permission: 'oral:received', section: 'care' },
  {
    to: '/oral/settings',
    label: 'oralSettings',
    icon: IconSettings,
    permission: 'oral:configure',
    section: 'administration',
  },
  // --- end oral anticancer pathway
  // Shared nuclear medicine (issue 6).
  { to: '/nuclear-medicine/day', label: 'nmDay', icon: IconClipboardList, permission: 'nm:book', section: 'care' },
  { to: '/nuclear-medicine/pet-order', label: 'nmPetOrder', icon: IconAtom, permission: 'nm:book', section: 'care' },
  {
    to: '/nuclear-medicine/planning',
    label: 'nmPlanning',
    icon: IconCalendarEvent,
    permission: 'nm:read',
    section: 'care',
  },
  { to: '/nuclear-medicine/counter', label: 'nmCounter', icon: IconChartLine, permission: 'nm:read', section: 'care' },
  {
    to: '/nuclear-medicine/configuration',
    label: 'nmConfiguration',
    icon: IconAdjustmentsHorizontal,
    permission: 'nm:configure',
    section: 'administration',
  },
  // --- Compounding (issue 4) ---
  {
    to: '/pharmacy/production',
    label: 'production',
    icon: IconFlask,
    permission: 'compounding:run',
    section: 'care',
  },
  {
    to: '/pharmacy/dispatch',
    label: 'dispatch',
    icon: IconTruckDelivery,
    permission: 'preparation:dispatch',
    section: 'care',
  },
  {
    to: '/pharmacy/reception',
    label: 'reception',
    icon: IconPackageImport,
    permission: 'preparation:receive',
    section: 'care',
  },
  { to: '/pharmacy/recall', label: 'recall', icon: IconZoomScan, permission: 'traceability:read', section: 'care' },
  {
    to: '/pharmacy/activity',
    label: 'activity',
    icon: IconChartBar,
    permission: 'activity:read',
    section: 'administration',
  },
  // --- end compounding ---
  {
    to: '/organisation',
    label: 'organisation',
    icon: IconBuildingHospital,
    permission: 'organisation:read',
    section: 'administration',
  },
  { to: '/admin/users', label: 'users', icon: IconUsers, permission: 'users:manage', section: 'administration' },
  {
    to: '/admin/roles',
    label: 'rolePolicies',
    icon: IconShieldCheck,
    permission: 'users:manage',
    section: 'administration',
  },
  { to: '/audit', label: 'audit', icon: IconListSearch, permission: 'audit:read', section: 'administration' },
  { to: '/jobs', label: 'jobs', icon: IconClockPlay, permission: 'jobs:read', section: 'administration' },
];

export function visibleNavItems(permissions: readonly string[]): NavItem[] {
  return NAV_ITEMS.filter((item) => !item.permission || permissions.includes(item.permission));
}
