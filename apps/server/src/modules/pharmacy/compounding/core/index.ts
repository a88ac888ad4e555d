// Public face of the compounding cores: pure functions (no database, no HTTP) used by the compounding services.
export type * from './types.ts';
export * from './gs1.ts';
export * from './gravimetry.ts';
export { createSimulatedBalance, isSimulatedBalance } from './balance.ts';
export * from './vials.ts';
export {
  LABEL_SIZE_MM,
  labelDataMatrixPng,
  labelPayload,
  parseLabelPayload,
  renderLabelPdf,
  renderLabelZpl,
  zplText,
} from './labels.ts';
export { renderFabricationSheetPdf } from './fabrication-sheet.ts';
