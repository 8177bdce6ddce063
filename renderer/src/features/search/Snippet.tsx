import type { SnippetPart } from '../../../../contract/models';

/** Matches become <mark> elements; the text is always rendered as text, never as HTML. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <span className="sb-snippet">
      {parts.map((part, i) => (part.match ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </span>
  );
}
