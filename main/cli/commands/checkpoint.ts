import type { CliContext } from '../context';
import { UsageError } from '../errors';

/** `log checkpoint`: signs the log as it is now and prints the signed note. */
export async function logCheckpoint(ctx: CliContext, args: string[], json: boolean): Promise<number> {
  if (args.length > 0) throw new UsageError('usage: switchboard log checkpoint [--json]');
  const checkpoint = await ctx.core().services.accountability.checkpoint();
  if (json) console.log(JSON.stringify(checkpoint, null, 2));
  else process.stdout.write(checkpoint.note);
  return 0;
}
