/**
 * Minimum-cost assignment (Hungarian algorithm with potentials, O(n²·m)): rows are patients, columns slots,
 * n ≤ m. Exact: the result is a proven optimum, which is why the PET ordering optimiser needs no heuristic.
 * Forbidden pairs are `Infinity`; when no assignment avoids them, `null` is returned.
 */
export function minCostAssignment(cost: readonly (readonly number[])[]): { columnOf: number[]; total: number } | null {
  const n = cost.length;
  if (n === 0) return { columnOf: [], total: 0 };
  const m = cost[0]!.length;
  if (m < n) return null;
  // A finite stand-in for forbidden pairs, larger than any feasible total.
  let finiteMax = 0;
  for (const row of cost) for (const c of row) if (Number.isFinite(c)) finiteMax = Math.max(finiteMax, Math.abs(c));
  const big = (finiteMax + 1) * (n + 1) * 4;
  const c = (i: number, j: number) => {
    const v = cost[i]![j]!;
    return Number.isFinite(v) ? v : big;
  };
  // 1-based arrays as in the classical formulation; column 0 is the virtual start.
  const u = new Array<number>(n + 1).fill(0);
  const v = new Array<number>(m + 1).fill(0);
  const p = new Array<number>(m + 1).fill(0);
  const way = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array<number>(m + 1).fill(Infinity);
    const used = new Array<boolean>(m + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = c(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const columnOf = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) columnOf[p[j]! - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const value = cost[i]![columnOf[i]!]!;
    if (!Number.isFinite(value)) return null;
    total += value;
  }
  return { columnOf, total };
}
