import { describe, expect, it } from 'vitest';
import { RecordingOpener } from '../helpers/access';
import { call, callError, useCores } from '../helpers/core';

/**
 * A link clicked in a terminal reaches the system only through `links.open`: https, in normalised
 * form, without a user name, password or port. Terminal output is untrusted, so everything else is
 * refused before the opener sees it.
 */
describe('links.open: links clicked in a terminal', () => {
  const makeCore = useCores();
  const opener = new RecordingOpener();
  const core = makeCore({ opener });

  it('opens plain https links with the core opener', async () => {
    await expect(call(core, 'links.open', { url: 'https://example.com/docs?q=1#top' })).resolves.toEqual({ opened: true });
    await expect(call(core, 'links.open', { url: 'https://status.example.org/' })).resolves.toEqual({ opened: true });
    expect(opener.opened).toEqual(['https://example.com/docs?q=1#top', 'https://status.example.org/']);
  });

  const refused: Array<[string, string]> = [
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: with slashes', 'javascript://example.com/%0aalert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['http:', 'http://example.com/'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a user name', 'https://attacker@example.com/'],
    ['a user name and password', 'https://user:secret@example.com/'],
    ['a user name hiding the host', 'https://example.com@evil.test/'],
    ['a port', 'https://example.com:8443/'],
    ['a deep-link scheme the launchers build themselves', 'teamviewer10://control?device=123456789'],
    ['anydesk:', 'anydesk:123456789'],
    ['upper-case scheme (not normalised)', 'HTTPS://example.com/'],
    ['a space', 'https://example.com/a b'],
    ['a newline', 'https://example.com/\nx'],
    ['a backslash', 'https://example.com\\@evil.test/'],
    ['non-ASCII', 'https://exämple.com/'],
    ['not normalised', 'https://example.com'],
    ['empty', ''],
  ];
  it.each(refused)('refuses %s', async (_label, url) => {
    const error = await callError(core, 'links.open', { url });
    expect(error.code).toBe('INVALID_INPUT');
    expect(opener.opened).not.toContain(url);
  });

  it('refuses extra fields and over-long links at the contract', async () => {
    expect((await callError(core, 'links.open', { url: 'https://example.com/', also: 1 })).code).toBe('INVALID_INPUT');
    expect((await callError(core, 'links.open', { url: `https://example.com/${'a'.repeat(2100)}` })).code).toBe('INVALID_INPUT');
  });

  it('opened nothing but the two good links', () => {
    expect(opener.opened).toHaveLength(2);
  });
});
