/**
 * Stable error codes. Each code maps to one HTTP status in http/error-handler.ts and is documented in
 * docs/errors.md. Codes never change meaning once released; messages are for humans and carry no
 * patient data.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_BODY: 400,
  INVALID_INS: 400,
  INVALID_FINESS: 400,
  INVALID_RPPS: 400,
  CREATININE_UNIT_SUSPECT: 400,
  CREATININE_IMPLAUSIBLE: 400,
  WEIGHT_IMPLAUSIBLE: 400,
  HEIGHT_IMPLAUSIBLE: 400,
  AGE_IMPLAUSIBLE: 400,
  RENAL_FORMULA_NOT_APPLICABLE: 400,
  DOSE_BASIS_MISSING: 400,
  DOSE_ADJUSTMENT_REASON_REQUIRED: 400,
  DOSE_ROUNDING_EXCEEDS_LIMIT: 400,
  DOSE_ABOVE_MAXIMUM: 400,
  INVALID_DRUG_CODE: 400,
  REGIMEN_DAY_OUTSIDE_CYCLE: 400,
  UNKNOWN_MOLECULE: 400,
  REFERENTIAL_INVALID: 400,
  AUTHENTICATION_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  TOTP_REQUIRED: 401,
  TOTP_INVALID: 401,
  TOTP_SETUP_REQUIRED: 403,
  REAUTHENTICATION_REQUIRED: 401,
  PASSWORD_CHANGE_REQUIRED: 403,
  PASSWORD_TOO_WEAK: 400,
  CSRF_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  TOKEN_SCOPE_INSUFFICIENT: 403,
  NO_ESTABLISHMENT_SELECTED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_CONFLICT: 409,
  DUPLICATE_IDENTIFIER: 409,
  MERGE_NOT_ALLOWED: 409,
  REGIMEN_VERSION_FROZEN: 409,
  REGIMEN_RETIRED: 409,
  PHARMACY_NOT_CONFIGURED: 409,
  PRESCRIPTION_ALREADY_DECIDED: 409,
  VALIDATION_BLOCKED: 409,
  PRESCRIPTION_NOT_VALIDATED: 409,
  // Production planning.
  PLANNER_NO_ISOLATOR: 409,
  PLANNER_INPUT_INVALID: 409,
  PLANNER_PIN_NOT_PENDING: 409,
  PLANNER_PIN_WRONG_ISOLATOR: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  OIDC_NOT_CONFIGURED: 404,
  OIDC_LOGIN_FAILED: 401,
  OIDC_ACCOUNT_NOT_LINKED: 403,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorField {
  path: string;
  message: string;
}

/** A failure the client can act on. `detail` must never contain patient data. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: ErrorField[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this'): AppError => new AppError('FORBIDDEN', message);
