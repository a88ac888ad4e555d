/**
 * Roles and permissions. A user acts for one establishment at a time; their permissions are the union
 * of the roles they hold there. Patient visibility is decided separately, by care relationships (see
 * modules/patients), because a permission says what kind of thing someone may do, not for whom.
 */
export const ROLES = [
  'pharmacist',
  'pharmacy_technician',
  'prescriber',
  'nurse',
  'nurse_coordinator',
  'nuclear_medicine_physician',
  'medical_secretary',
  'pathologist',
  'clinical_research',
  'tumour_board_coordinator',
  'community_professional',
  'cooperation_manager',
  'administrator',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'patient:read',
  'patient:write',
  'patient:emergency_access',
  'patient:identity_review',
  'organisation:read',
  'organisation:manage',
  'users:manage',
  'audit:read',
  'jobs:read',
  'referential:read',
  'referential:manage',
  'prescription:read',
  'prescription:write',
  'prescription:validate',
  'fit_to_treat:record',
  // Production planning of the shared pharmacy.
  'planner:read',
  'planner:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CLINICAL: Permission[] = [
  'patient:read',
  'patient:write',
  'patient:emergency_access',
  'organisation:read',
  'referential:read',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  pharmacist: [
    ...CLINICAL,
    'patient:identity_review',
    'referential:manage',
    'prescription:read',
    'prescription:validate',
    'planner:read',
    'planner:manage',
  ],
  pharmacy_technician: ['patient:read', 'organisation:read', 'referential:read', 'prescription:read', 'planner:read'],
  prescriber: [...CLINICAL, 'prescription:read', 'prescription:write', 'fit_to_treat:record'],
  // Day-hospital nurses record the "OK chimio" the physician gives.
  nurse: [...CLINICAL, 'prescription:read', 'fit_to_treat:record'],
  nurse_coordinator: CLINICAL,
  nuclear_medicine_physician: CLINICAL,
  // Secretaries register patients and their identifiers; identity vigilance is theirs day to day.
  medical_secretary: ['patient:read', 'patient:write', 'patient:identity_review', 'organisation:read'],
  pathologist: CLINICAL,
  clinical_research: ['patient:read', 'organisation:read'],
  tumour_board_coordinator: ['patient:read', 'patient:write', 'organisation:read'],
  community_professional: ['patient:read', 'organisation:read'],
  cooperation_manager: ['organisation:read', 'organisation:manage', 'audit:read', 'jobs:read', 'planner:read'],
  administrator: ['organisation:read', 'organisation:manage', 'users:manage', 'audit:read', 'jobs:read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

/** API token scopes: a token never exceeds its owner's permissions, and only carries these. */
export const TOKEN_SCOPES = ['patient:read', 'patient:write', 'organisation:read', 'audit:read'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
