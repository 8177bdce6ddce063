/**
 * How a name that came from a customer's server is shown — in the window, the CLI, archives' manifests
 * and reasons alike. Shared here (pure, no Node) so the core and the window apply one rule.
 */

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };
/**
 * C0 and C1 controls and DEL, and the characters that reorder or hide text on screen (bidi overrides
 * and isolates, zero-width, line and paragraph separators): a name could otherwise paint over the
 * terminal or the window, or read as something it is not ("report\u202Etxt.exe").
 */
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

/**
 * A remote name as it is safe to show: `\e[31m` for an escape, `\n`, `\t`, `\xHH` for other
 * controls, `\u{202e}` for the invisible ones; a backslash shows doubled, so the escaping reads
 * back without doubt.
 */
export function escapeName(name: string): string {
  return name.replace(UNSAFE, escapeOne);
}

/**
 * Text that may hold a name already escaped (a reason the core wrote: "… bad\\ename is outside …"):
 * only the characters that are unsafe on screen are escaped, so an escaped name is not escaped twice.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_ON_SCREEN, escapeOne);
}

/** UNSAFE without the backslash. */
const UNSAFE_ON_SCREEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

function escapeOne(c: string): string {
  const named = NAMED_ESCAPES[c];
  if (named) return named;
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
