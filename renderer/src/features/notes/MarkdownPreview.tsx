import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { NoteLink } from './NoteLink';

/**
 * Notes render offline and load nothing: no raw HTML, images become a text placeholder. A link is
 * shown with its real target and opens in the system browser through links.open (https only, the
 * core checks) — never in the app window.
 */
const components: Components = {
  img: ({ alt }) => <span className="sb-placeholder">[image: {alt || 'no description'}]</span>,
  a: ({ children, href }) => (
    <span>
      {href ? <NoteLink href={href}>{children}</NoteLink> : children}
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
