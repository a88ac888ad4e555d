import type { NmEquipmentType } from '@passerelle/contracts';

/** Agreed shares, pure: which agreement applies to an equipment type on a date. */

export interface Agreement {
  equipmentType: NmEquipmentType | null;
  validFrom: string;
  shares: { sectorId: string; share: number }[];
}

/**
 * The agreement in force on `date` for `type`: the latest one started by then that names the type, else the
 * latest general one (null type), else equal shares between all sectors from the beginning.
 */
export function agreementFor(
  agreements: readonly Agreement[],
  type: NmEquipmentType | null,
  date: string,
  sectorIds: readonly string[],
): Agreement {
  const started = agreements.filter((a) => a.validFrom <= date);
  const latest = (list: Agreement[]) =>
    list.reduce<Agreement | undefined>((best, a) => (!best || a.validFrom >= best.validFrom ? a : best), undefined);
  const specific = type === null ? undefined : latest(started.filter((a) => a.equipmentType === type));
  const general = latest(started.filter((a) => a.equipmentType === null));
  return (
    specific ??
    general ?? {
      equipmentType: null,
      validFrom: '1970-01-01',
      shares: sectorIds.map((sectorId) => ({ sectorId, share: 1 / Math.max(1, sectorIds.length) })),
    }
  );
}

/** Shares scaled to sum to 1. */
export function normalised(shares: readonly { sectorId: string; share: number }[]) {
  const total = shares.reduce((s, x) => s + x.share, 0);
  return shares.map((s) => ({ sectorId: s.sectorId, share: total > 0 ? s.share / total : 0 }));
}
