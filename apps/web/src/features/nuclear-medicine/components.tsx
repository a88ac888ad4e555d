import { Badge } from '@mantine/core';
import type { NmDepartmentDto } from '@passerelle/contracts';

/** Sector colours: the first sector (hospital) blue, the second (private) orange, further partners after. */
const SECTOR_COLORS = ['blue', 'orange', 'grape', 'teal', 'pink'];

export function sectorColor(department: NmDepartmentDto | undefined, sectorId: string | null): string {
  const index = department?.sectors.findIndex((s) => s.id === sectorId) ?? -1;
  return index < 0 ? 'gray' : SECTOR_COLORS[index % SECTOR_COLORS.length]!;
}

export function SectorBadge({ department, sectorId }: { department: NmDepartmentDto | undefined; sectorId: string }) {
  const sector = department?.sectors.find((s) => s.id === sectorId);
  return (
    <Badge color={sectorColor(department, sectorId)} variant="light">
      {sector?.name ?? '—'}
    </Badge>
  );
}

export const staffName = (department: NmDepartmentDto | undefined, id: string | null) =>
  department?.staff.find((s) => s.id === id)?.displayName ?? '—';

export const formatMBq = (value: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(value);
export const formatEur = (value: number) =>
  new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(value);
