import fs from 'node:fs';
import { credentialName } from '../../../contract/domain/fields';
import type { CredentialKind } from '../../../contract/domain/vocabulary';
import type { CliContext } from '../context';
import { CheckFailed, UsageError } from '../errors';

function nameArg(args: string[], usage: string): string {
  if (args.length !== 1) throw new UsageError(`usage: switchboard credentials ${usage}`);
  const parsed = credentialName.safeParse(args[0]);
  if (!parsed.success) throw new UsageError(`"${args[0]}": ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

export async function credentialsCommand(ctx: CliContext, sub: string | undefined, args: string[], flags: { json: boolean; key?: string; kind?: string }): Promise<number> {
  const credentials = ctx.core().services.credentials;
  switch (sub) {
    case 'list': {
      const list = await credentials.list();
      if (flags.json) console.log(JSON.stringify(list, null, 2));
      else for (const c of list) console.log(`${c.name.padEnd(24)} ${c.stored ? `${c.kind}, saved ${c.updatedAt}` : 'referenced, not in the keychain'}`);
      return 0;
    }
    case 'set': {
      const name = nameArg(args, 'set NAME [--kind password|private_key] [--key FILE]');
      const kind = (flags.key ? 'private_key' : flags.kind ?? 'password') as CredentialKind;
      if (kind !== 'password' && kind !== 'private_key') throw new UsageError('--kind is password or private_key');
      let secret: string;
      try {
        secret = fs.readFileSync(flags.key ?? 0, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${flags.key ?? 'stdin'}: ${(error as Error).message}`);
      }
      if (kind === 'password') secret = secret.replace(/\r?\n$/, '');
      if (!secret) throw new UsageError('the secret is empty (pipe it on stdin, or pass --key FILE)');
      await credentials.set(name, kind, secret);
      console.log(`Saved "${name}" (${kind}) in the OS keychain.`);
      return 0;
    }
    case 'test': {
      const result = await credentials.test(nameArg(args, 'test NAME'));
      if (flags.json) console.log(JSON.stringify(result));
      else console.log(result.message);
      if (!result.readable) throw new CheckFailed('');
      return 0;
    }
    case 'delete': {
      const name = nameArg(args, 'delete NAME');
      await credentials.delete(name);
      console.log(`Deleted "${name}" from the keychain.`);
      return 0;
    }
    default:
      throw new UsageError('usage: switchboard credentials list|set|test|delete …');
  }
}
