import {
  IconBuildingHospital,
  IconBook,
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
    | 'production'
    | 'organisation'
    | 'users'
    | 'rolePolicies'
    | 'audit'
    | 'jobs';
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
    to: '/pharmacy/production',
    label: 'production',
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
