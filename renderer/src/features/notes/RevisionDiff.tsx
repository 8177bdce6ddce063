import { diffLines } from 'diff';
import { useMemo } from 'react';

/** Line diff from a revision (removed lines) to the current body (added lines). */
export function RevisionDiff({ from, to }: { from: string; to: string }) {
  const parts = useMemo(() => diffLines(from, to), [from, to]);
  if (parts.every((p) => !p.added && !p.removed)) return <div className="sb-diff" style={{ opacity: 0.7 }}>Identical to the current text.</div>;
  return (
    <pre className="sb-diff" data-testid="revision-diff">
      {parts.map((part, i) => {
        const cls = part.added ? 'sb-diff-added' : part.removed ? 'sb-diff-removed' : undefined;
        const sign = part.added ? '+ ' : part.removed ? '- ' : '  ';
        const lines = part.value.replace(/\n$/, '').split('\n');
        return (
          <div key={i} className={cls}>
            {lines.map((line, j) => <div key={j}>{sign}{line}</div>)}
          </div>
        );
      })}
    </pre>
  );
}
