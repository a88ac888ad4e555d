// Shared request/response schemas and DTO types: used by the server (validation, OpenAPI) and the
// web app (types). No Node dependencies here.
export * from './common.ts';
export * from './patients.ts';
export * from './admin.ts';
export * from './organisation.ts';
export * from './audit.ts';
export * from './meta.ts';
export * from './pharmacy-referential.ts';
export * from './prescriptions.ts';
export * from './oral-pathway.ts';
export * from './nuclear-medicine.ts';
export * from './compounding.ts';
export * from './production.ts';
