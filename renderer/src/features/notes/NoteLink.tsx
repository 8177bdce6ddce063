import { notifications } from '@mantine/notifications';
import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';
import { api } from '../../api/transport';
import { errorMessage } from '../../lib/validation';

function refuse(message: string): void {
  notifications.show({ color: 'red', title: 'Link not opened', message });
}

/** Hands the link to the core, which opens only https links, in the system browser. */
export function openNoteLink(href: string): void {
  let url: string;
  try {
    url = new URL(href).href;
  } catch {
    refuse(`${href} is not a link Switchboard can open: write the whole address, starting with https://.`);
    return;
  }
  api['links.open']({ url }).catch((error: unknown) => refuse(errorMessage(error)));
}

/**
 * A link in a rendered note. It has no href on purpose: a note is untrusted text, and an anchor with
 * an href can navigate the app window (a click, a middle-click, a drag). Clicking or Enter asks the
 * core instead; the target is shown as the tooltip.
 */
export function NoteLink({ href, children }: { href: string; children: ReactNode }) {
  const open = (event: MouseEvent | KeyboardEvent) => {
    event.preventDefault();
    openNoteLink(href);
  };
  return (
    <a
      role="link"
      tabIndex={0}
      className="sb-note-link"
      title={`Open ${href} in your browser`}
      data-testid="note-link"
      data-href={href}
      onClick={open}
      onKeyDown={(event) => event.key === 'Enter' && open(event)}
    >
      {children}
    </a>
  );
}
