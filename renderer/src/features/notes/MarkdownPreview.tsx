import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * Notes render offline and load nothing: no raw HTML, images become a text placeholder and links
 * are plain text with their URL shown, so a pasted note cannot make the window fetch anything.
 */
const components: Components = {
  img: ({ alt }) => <span className="sb-placeholder">[image: {alt || 'no description'}]</span>,
  a: ({ children, href }) => (
    <span>
      {children}
      {href && String(children) !== href && <span className="sb-placeholder"> ({href})</span>}
    </span>
  ),
};

export function MarkdownPreview({ body }: { body: string }) {
  return (
    <div className="sb-markdown" data-testid="note-preview">
      <Markdown remarkPlugins={[remarkGfm]} components={components} skipHtml>
        {body || '*Nothing to preview.*'}
      </Markdown>
    </div>
  );
}
