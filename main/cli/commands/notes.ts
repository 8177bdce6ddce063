import { snippetToText } from '../../core';
import type { CliContext } from '../context';
import { CheckFailed, UsageError } from '../errors';

export async function notesSearch(ctx: CliContext, args: string[], json: boolean): Promise<number> {
  const query = args.join(' ').trim();
  if (!query) throw new UsageError('usage: switchboard notes search QUERY [--json]');
  const matches = await ctx.core().services.notes.search(query);
  const bold = process.stdout.isTTY ? (s: string) => `\u001b[1m${s}\u001b[22m` : (s: string) => `**${s}**`;
  if (json) {
    console.log(
      JSON.stringify(
        matches.map((m) => ({
          customer: m.customer,
          site: m.site,
          host: m.host ?? null,
          title: m.title,
          snippet: snippetToText(m.snippet, (s) => `**${s}**`),
          note_id: m.noteId,
        })),
        null,
        2,
      ),
    );
  } else {
    for (const m of matches) console.log(`${m.customer}/${m.site}${m.host ? ` (${m.host})` : ''} — ${m.title}\n  ${snippetToText(m.snippet, bold).replace(/\s+/g, ' ')}`);
  }
  if (matches.length === 0) throw new CheckFailed(json ? '' : `no note matches "${query}"`);
  return 0;
}
