import { describe, expect, it } from 'vitest';
import { CLI_OPTIONS, parseCommandLine } from '../../main/cli/parse';
import { USAGE } from '../../main/cli/usage';

interface Advertised { command: string; flag: string; takesValue: boolean; line: string }

const COMMAND_LINE = /^ {2}([a-z][a-z-]*(?: (?:\[?[a-z][a-z-]*\]?))*)(?=\s|$)/;
/** A value shown after a flag: a PLACEHOLDER, "QUOTED", a|choice|list, or [OPTIONAL:]PART. */
const FLAG = /(?<![\w-])(--[a-z][a-z-]*|-[a-z])(?: (?=([A-Z]|\[[A-Z]|"|[a-z0-9-]+\|)))?/g;

/**
 * Every flag the help shows, with the command whose entry shows it: a command line ("  log list …"), the
 * lines indented under it, up to the next command or section. The Options section's flags are global.
 */
function advertised(usage: string): Advertised[] {
  const found: Advertised[] = [];
  let command: string | null = null;
  for (const line of usage.split('\n')) {
    if (/^\S/.test(line) || line.trim() === '') { command = /^Options/.test(line) ? 'options' : null; continue; }
    const head = COMMAND_LINE.exec(line);
    if (head && command !== 'options') command = head[1]!.replace(/[[\]]/g, '');
    if (!command) continue;
    for (const match of line.matchAll(FLAG)) {
      found.push({ command, flag: match[1]!, takesValue: match[2] !== undefined, line: line.trim() });
    }
  }
  return found;
}

/** One row per command and flag; a flag shown with a value anywhere in its entry takes one. */
function once(rows: Advertised[]): Advertised[] {
  const byKey = new Map<string, Advertised>();
  for (const row of rows) {
    const key = `${row.command} ${row.flag}`;
    const seen = byKey.get(key);
    if (!seen || (row.takesValue && !seen.takesValue)) byKey.set(key, row);
  }
  return [...byKey.values()];
}

const ADVERTISED = once(advertised(USAGE));
const optionFor = (flag: string) => Object.entries(CLI_OPTIONS).find(([name, o]) => (flag.startsWith('--') ? name === flag.slice(2) : 'short' in o && `-${o.short}` === flag));

describe('every flag the help shows is one the parser takes', () => {
  it('finds the commands and flags of the help (the walk itself works)', () => {
    const commands = new Set(ADVERTISED.map((a) => a.command));
    expect(commands.size).toBeGreaterThan(30);
    expect(ADVERTISED).toEqual(expect.arrayContaining([
      expect.objectContaining({ command: 'log list', flag: '--engineer', takesValue: true }),
      expect.objectContaining({ command: 'log list', flag: '--limit', takesValue: true }),
      expect.objectContaining({ command: 'log list', flag: '--all', takesValue: false }),
      expect.objectContaining({ command: 'files get', flag: '-r', takesValue: false }),
      expect.objectContaining({ command: 'options', flag: '--data-dir', takesValue: true }),
    ]));
  });

  it.each(ADVERTISED.map((a) => [`${a.command} ${a.flag}`, a] as const))('%s', (_name, { command, flag, takesValue, line }) => {
    const option = optionFor(flag);
    expect(option, `"${line}" shows ${flag}, which the parser does not know`).toBeDefined();
    const [, spec] = option!;
    if (takesValue) expect(spec.type, `"${line}" shows a value after ${flag}, but the parser takes it as a switch`).toBe('string');
    const words = command === 'options' ? [] : command.split(' ');
    expect(() => parseCommandLine([...words, flag, ...(spec.type === 'string' ? ['x'] : [])])).not.toThrow();
  });
});
