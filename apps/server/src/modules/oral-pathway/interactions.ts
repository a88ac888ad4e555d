import { findDrug } from './drugs.ts';
import { INTERACTION_KNOWLEDGE_BASE, type InteractionEntryInput } from './interactions-data.ts';

/**
 * Loading and checking the interaction knowledge base. The loader is strict: an entry is refused, with
 * every problem listed, when it lacks a published source, a mechanism or a recommendation, names a drug
 * the referential does not hold, or has no term to match — an unsourced interaction must never reach a
 * pharmacist as if it were established.
 */

export const INTERACTION_SEVERITIES = ['contraindicated', 'avoid', 'caution', 'consider'] as const;
export type InteractionSeverity = (typeof INTERACTION_SEVERITIES)[number];
export const INTERACTION_KINDS = ['drug', 'herbal', 'food'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export interface InteractionEntry {
  id: string;
  drugs: string[];
  withKind: InteractionKind;
  withLabel: string;
  terms: string[];
  severity: InteractionSeverity;
  mechanism: string;
  recommendation: string;
  source: string;
}

export class InteractionBaseError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`Interaction knowledge base refused: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    this.name = 'InteractionBaseError';
  }
}

/** Lower case, accents and punctuation removed, spaces collapsed: "Oméprazole 20 mg" → "omeprazole 20 mg". */
export function foldTerm(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const text = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Validates every entry; throws InteractionBaseError listing all problems, or returns the typed base. */
export function loadInteractionBase(entries: readonly InteractionEntryInput[]): InteractionEntry[] {
  const problems: { path: string; message: string }[] = [];
  const ids = new Set<string>();
  entries.forEach((e, i) => {
    const at = (field: string) => `entries[${i}]${e.id ? ` (${e.id})` : ''}.${field}`;
    if (!text(e.id)) problems.push({ path: at('id'), message: 'missing id' });
    else if (ids.has(e.id)) problems.push({ path: at('id'), message: 'duplicate id' });
    else ids.add(e.id);
    if (!text(e.source)) problems.push({ path: at('source'), message: 'a published source is required' });
    if (!text(e.mechanism)) problems.push({ path: at('mechanism'), message: 'missing mechanism' });
    if (!text(e.recommendation)) problems.push({ path: at('recommendation'), message: 'missing recommendation' });
    if (!text(e.withLabel)) problems.push({ path: at('withLabel'), message: 'missing label' });
    if (!INTERACTION_SEVERITIES.includes(e.severity as InteractionSeverity)) {
      problems.push({ path: at('severity'), message: `severity must be one of ${INTERACTION_SEVERITIES.join(', ')}` });
    }
    if (!INTERACTION_KINDS.includes(e.withKind as InteractionKind)) {
      problems.push({ path: at('withKind'), message: `kind must be one of ${INTERACTION_KINDS.join(', ')}` });
    }
    if (!e.drugs || e.drugs.length === 0) problems.push({ path: at('drugs'), message: 'names no drug' });
    for (const code of e.drugs ?? []) {
      if (!findDrug(code)) problems.push({ path: at('drugs'), message: `unknown drug "${code}"` });
    }
    if (!e.terms || e.terms.filter((t) => foldTerm(t).length >= 3).length === 0) {
      problems.push({ path: at('terms'), message: 'needs at least one term of 3 characters or more' });
    }
  });
  if (problems.length > 0) throw new InteractionBaseError(problems);
  return entries.map((e) => ({
    id: e.id!,
    drugs: [...e.drugs!],
    withKind: e.withKind as InteractionKind,
    withLabel: e.withLabel!,
    terms: [...new Set(e.terms!.map(foldTerm).filter((t) => t.length >= 3))],
    severity: e.severity as InteractionSeverity,
    mechanism: e.mechanism!,
    recommendation: e.recommendation!,
    source: e.source!,
  }));
}

let shipped: InteractionEntry[] | undefined;
/** The shipped base, validated once on first use. */
export function shippedInteractionBase(): InteractionEntry[] {
  return (shipped ??= loadInteractionBase(INTERACTION_KNOWLEDGE_BASE));
}

/** One item of the medication reconciliation, as the patient reports it. */
export interface ReconciledItem {
  name: string;
  kind: 'prescription' | 'self_medication' | 'herbal' | 'food' | 'other';
}

export interface InteractionFinding {
  entryId: string;
  /** The reconciliation item that matched, as entered. */
  item: string;
  withKind: InteractionKind;
  withLabel: string;
  severity: InteractionSeverity;
  mechanism: string;
  recommendation: string;
  source: string;
}

const SEVERITY_RANK: Record<InteractionSeverity, number> = { contraindicated: 0, avoid: 1, caution: 2, consider: 3 };

/** A term matches a whole word (or words) of the folded item: "pantoprazole 40" matches, "prazole" alone does not. */
function matches(foldedItem: string, term: string): boolean {
  return ` ${foldedItem} `.includes(` ${term} `);
}

/**
 * Checks the reconciliation against the base for one drug. Foods the base knows (grapefruit) are also
 * checked when not reported, because a patient rarely lists them: those findings carry `item` = '' so the
 * intake plan can warn anyway. Findings are ordered most severe first.
 */
export function checkInteractions(
  drugCode: string,
  items: readonly ReconciledItem[],
  base: readonly InteractionEntry[] = shippedInteractionBase(),
): InteractionFinding[] {
  const findings: InteractionFinding[] = [];
  for (const entry of base) {
    if (!entry.drugs.includes(drugCode)) continue;
    const matched = items.filter((item) => entry.terms.some((t) => matches(foldTerm(item.name), t)));
    const reported = matched.map((m) => m.name);
    if (reported.length === 0 && entry.withKind === 'food') reported.push('');
    for (const item of reported) {
      findings.push({
        entryId: entry.id,
        item,
        withKind: entry.withKind,
        withLabel: entry.withLabel,
        severity: entry.severity,
        mechanism: entry.mechanism,
        recommendation: entry.recommendation,
        source: entry.source,
      });
    }
  }
  return findings.sort(
    (a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.entryId.localeCompare(b.entryId),
  );
}
