/**
 * Renders rows as a plain-text table: name, value, unit, target, spread, note.
 * @module
 */
import type { Row, Target } from './rows.js';

/** A number for people: `12.3 M`, `850 k`, `287`, `0.42`. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(2) + ' G';
  if (a >= 1e6) return (v / 1e6).toFixed(2) + ' M';
  if (a >= 1e4) return (v / 1e3).toFixed(1) + ' k';
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(1);
  return v.toPrecision(2);
}

/** `≥ 10.00 M`, `≤ 300`. */
export function formatTarget(t: Target | undefined): string {
  if (t === undefined) return '';
  return (t.cmp === '>=' ? '≥ ' : '≤ ') + formatNumber(t.value);
}

/** Whether a row meets its target (`undefined` when it has none). */
export function meets(row: Row): boolean | undefined {
  const t = row.target;
  if (t === undefined || !Number.isFinite(row.value)) return undefined;
  return t.cmp === '>=' ? row.value >= t.value : row.value <= t.value;
}

/** `min … max (n=7)`, or `±x%` of the median when that is shorter to read. */
export function formatSpread(row: Row): string {
  const s = row.spread;
  if (s === undefined) return '';
  const pct = row.value ? ((s.max - s.min) / 2 / Math.abs(row.value)) * 100 : 0;
  return `${formatNumber(s.min)} … ${formatNumber(s.max)} (±${pct.toFixed(1)}%, n=${s.rounds})`;
}

/** The whole table as one string (no trailing newline). */
export function renderTable(rows: readonly Row[]): string {
  const head = ['name', 'value', 'unit', 'target', 'min … max (spread, rounds)', 'note'];
  const body = rows.map((r) => {
    const ok = meets(r);
    const target = formatTarget(r.target) + (ok === undefined ? '' : ok ? '  ok' : '  MISS');
    return [r.name, formatNumber(r.value), r.unit, target, formatSpread(r), r.note ?? ''];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = new Set([1]); // numbers right-aligned
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === cells.length - 1 ? c : right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w, i) => '-'.repeat(i === widths.length - 1 ? Math.max(4, w) : w)).join('  ');
  return [line(head), rule, ...body.map(line)].join('\n');
}
