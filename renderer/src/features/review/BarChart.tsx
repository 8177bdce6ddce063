import { Box, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';

export interface Bar { label: string; value: number; title?: string; color?: string }

const ROW = 20;
const GAP = 6;

/**
 * Horizontal bars in plain SVG: one row per label, the value at the bar's end. Drawn at the box's own
 * pixel width (not scaled), so labels keep their size in a narrow column and a wide one alike.
 */
export function BarChart({ bars, testId, empty = 'Nothing this week.' }: { bars: Bar[]; testId: string; empty?: string }) {
  const { ref, width: measured } = useElementSize();
  if (bars.length === 0) return <Text size="sm" c="dimmed" data-testid={testId}>{empty}</Text>;
  const width = Math.max(measured, 240);
  const LABEL = Math.min(180, Math.round(width * 0.38));
  const max = Math.max(...bars.map((b) => b.value), 1);
  const span = width - LABEL - 40;
  const height = bars.length * (ROW + GAP);
  return (
    <Box ref={ref}>
    <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={bars.map((b) => `${b.label}: ${b.value}`).join(', ')} data-testid={testId}
      style={{ display: 'block' }}>
      {bars.map((b, i) => {
        const y = i * (ROW + GAP);
        const w = Math.max((b.value / max) * span, b.value > 0 ? 2 : 0);
        const room = Math.floor(LABEL / 7);
        const label = b.label.length > room ? `${b.label.slice(0, room - 1)}…` : b.label;
        return (
          <g key={`${b.label}-${i}`} data-testid={`${testId}-bar`} data-label={b.label} data-value={b.value}>
            <title>{b.title ?? `${b.label}: ${b.value}`}</title>
            <text x={LABEL - 8} y={y + ROW * 0.68} textAnchor="end" fontSize={12} fill="var(--mantine-color-text)">{label}</text>
            <rect x={LABEL} y={y} width={w} height={ROW} rx={3} fill={b.color ?? 'var(--mantine-primary-color-filled)'} />
            <text x={LABEL + w + 6} y={y + ROW * 0.68} fontSize={12} fill="var(--mantine-color-dimmed)">{b.value}</text>
          </g>
        );
      })}
    </svg>
    </Box>
  );
}

/** One bar split into parts (e.g. the week's sessions by review state), with a legend under it. */
export function StackedBar({ parts, testId }: { parts: { label: string; value: number; color: string }[]; testId: string }) {
  const total = parts.reduce((sum, p) => sum + p.value, 0);
  let x = 0;
  return (
    <div data-testid={testId}>
      <svg viewBox="0 0 600 18" width="100%" role="img" aria-label={parts.map((p) => `${p.label}: ${p.value}`).join(', ')} style={{ display: 'block' }}>
        {total === 0 && <rect x={0} y={0} width={600} height={18} rx={4} fill="var(--mantine-color-default-border)" />}
        {parts.map((p) => {
          const w = total === 0 ? 0 : (p.value / total) * 600;
          const rect = <rect key={p.label} x={x} y={0} width={w} height={18} fill={p.color}><title>{`${p.label}: ${p.value}`}</title></rect>;
          x += w;
          return rect;
        })}
      </svg>
      <Text size="xs" c="dimmed" mt={4}>
        {parts.map((p) => (
          <span key={p.label} style={{ marginRight: 12, whiteSpace: 'nowrap' }}>
            <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 2, background: p.color, marginRight: 4 }} />{p.label} {p.value}
          </span>
        ))}
      </Text>
    </div>
  );
}
