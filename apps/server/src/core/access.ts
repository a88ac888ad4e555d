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
  // Oral anticancer pathway.
  'oral:read',
  'oral:write',
  'oral:consult_medical',
  'oral:consult_pharma',
  'oral:consult_nursing',
  'oral:followup',
  'oral:configure',
  'oral:received',
  // Shared nuclear medicine: read the department, planning and counter; plan sessions; book exams; record
  // exams performed and radiopharmaceutical deliveries; configure shares and tariffs.
  'nm:read',
  'nm:plan',
  'nm:book',
  'nm:record',
  'nm:configure',
  // Compounding, dispatch and traceability (issue 4).
  'compounding:run',
  'compounding:check',
  'preparation:release',
  'preparation:dispatch',
  'preparation:receive',
  'preparation:administer',
  'traceability:read',
  'activity:read',
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

// Compounding (issue 4). Technicians compound, check each other's work and dispatch; only a pharmacist releases.
// The unit receives and the nurse confirms administration. Recall and activity figures are the pharmacy's and
// the cooperation manager's (cost sharing).
const TECHNICIAN_PRODUCTION: Permission[] = ['compounding:run', 'compounding:check', 'preparation:dispatch'];
const PHARMACIST_PRODUCTION: Permission[] = [
  ...TECHNICIAN_PRODUCTION,
  'preparation:release',
  'traceability:read',
  'activity:read',
];
const NURSE_PRODUCTION: Permission[] = ['preparation:receive', 'preparation:administer'];
const MANAGER_PRODUCTION: Permission[] = ['traceability:read', 'activity:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  pharmacist: [
    ...CLINICAL,
    'patient:identity_review',
    'referential:manage',
    'prescription:read',
    'prescription:validate',
    ...PHARMACIST_PRODUCTION,
    'planner:read',
    'planner:manage',
  ],
  pharmacy_technician: [
    'patient:read',
    'organisation:read',
    'referential:read',
    'prescription:read',
    ...TECHNICIAN_PRODUCTION,
    'planner:read',
  ],
  prescriber: [...CLINICAL, 'prescription:read', 'prescription:write', 'fit_to_treat:record'],
  // Day-hospital nurses record the "OK chimio" the physician gives.
  nurse: [...CLINICAL, 'prescription:read', 'fit_to_treat:record', ...NURSE_PRODUCTION],
  nurse_coordinator: CLINICAL,
  // The department's physicians draw up the session rota among themselves, book and perform exams.
  nuclear_medicine_physician: [...CLINICAL, 'nm:read', 'nm:plan', 'nm:book', 'nm:record'],
  // Secretaries register patients and their identifiers; identity vigilance is theirs day to day. In nuclear
  // medicine they book exams and keep the day's schedule.
  medical_secretary: [
    'patient:read',
    'patient:write',
    'patient:identity_review',
    'organisation:read',
    'nm:read',
    'nm:book',
  ],
  pathologist: CLINICAL,
  clinical_research: ['patient:read', 'organisation:read'],
  tumour_board_coordinator: ['patient:read', 'patient:write', 'organisation:read'],
  community_professional: ['patient:read', 'organisation:read'],
  // The cooperation's manager follows the counter, arbitrates the sessions and sets the agreed shares.
  cooperation_manager: [
    'organisation:read',
    'organisation:manage',
    'audit:read',
    'jobs:read',
    'nm:read',
    'nm:plan',
    'nm:configure',
    ...MANAGER_PRODUCTION,
    'planner:read',
  ],
  administrator: ['organisation:read', 'organisation:manage', 'users:manage', 'audit:read', 'jobs:read'],
};

// --- Oral anticancer pathway --------------------------------------------------------------------------
/**
 * The physician, pharmacist and nurses of the primo-prescription each record their consultation; the nurse
 * coordinator runs the follow-up; community professionals only read what was sent to them (`oral:received`),
 * never the hospital's board. Added to the roles above without touching their lists.
 */
const ORAL_ROLE_PERMISSIONS: Partial<Record<Role, Permission[]>> = {
  prescriber: ['oral:read', 'oral:write', 'oral:consult_medical', 'oral:followup'],
  pharmacist: ['oral:read', 'oral:write', 'oral:consult_pharma'],
  nurse: ['oral:read', 'oral:consult_nursing'],
  nurse_coordinator: ['oral:read', 'oral:write', 'oral:consult_nursing', 'oral:followup', 'oral:configure'],
  community_professional: ['oral:received'],
  cooperation_manager: ['oral:configure'],
};
for (const [role, extra] of Object.entries(ORAL_ROLE_PERMISSIONS) as [Role, Permission[]][]) {
  ROLE_PERMISSIONS[role] = [...ROLE_PERMISSIONS[role], ...extra];
}
// --- end oral anticancer pathway ----------------------------------------------------------------------

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
