import readline from 'node:readline';
import { ApiError, type Core, type ForwardRequest, type KeyboardChallenge, type SshPrompts } from '../core';
import { UsageError } from './errors';
import { openCliForwards } from './forwards';

/** Asks on the terminal (stdin is one whenever a question is asked); readline handles echo in raw mode. */
function ask(question: string, echo: boolean, gone: AbortSignal): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (!echo) (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  // The server hung up while we asked: stop asking (the connect fails with the reason).
  gone.addEventListener('abort', () => { rl.close(); process.stderr.write('\n'); }, { once: true });
  return new Promise((resolve) => rl.question(question, (answer) => {
    rl.close();
    if (!echo) process.stderr.write('\n');
    resolve(answer);
  }));
}

export function terminalPrompts(acceptNewHostKey: boolean): SshPrompts {
  return {
    async confirmHostKey(host, fingerprint, gone) {
      process.stderr.write(`The authenticity of host '${host}' can't be established.\nIts key fingerprint is ${fingerprint}.\n`);
      if (acceptNewHostKey) {
        process.stderr.write('Pinned it (--accept-new-host-key); the decision is in the session log.\n');
        return true;
      }
      if (!process.stdin.isTTY) {
        process.stderr.write('No terminal to ask on: refusing. Check the fingerprint with the customer, then pass --accept-new-host-key.\n');
        return false;
      }
      const answer = await ask('Pin this key and continue connecting (yes/no)? ', true, gone);
      return answer.trim().toLowerCase() === 'yes';
    },
    ...(process.stdin.isTTY
      ? {
          async respond(challenge: KeyboardChallenge, host: string, gone: AbortSignal) {
            process.stderr.write(`${host} asks${challenge.name ? ` (${challenge.name})` : ''}:\n`);
            if (challenge.instructions) process.stderr.write(`${challenge.instructions}\n`);
            const answers: string[] = [];
            for (const p of challenge.prompts) answers.push(await ask(p.prompt, p.echo, gone));
            return answers;
          },
        }
      : {}),
  };
}

/**
 * `switchboard connect --method ssh`: runs COMMAND and exits with its status, or opens an
 * interactive shell in this terminal — through the policy, pinning, keychain, recording and log.
 */
export async function runSsh(core: Core, request: { siteId: number; target: string; ticket: string }, command: string[], acceptNewHostKey: boolean, forwards: ForwardRequest[] = []): Promise<number> {
  let opened: Awaited<ReturnType<Core['openSsh']>>;
  try {
    opened = await core.openSsh(request, terminalPrompts(acceptNewHostKey));
  } catch (error) {
    // Like OpenSSH: 255 when the connection itself failed, so it never looks like COMMAND's status.
    if (!(error instanceof ApiError) || !error.code.startsWith('SSH_')) throw error;
    console.error(`switchboard: ${error.message}`);
    return 255;
  }
  const { sessionId, decision, session } = opened;
  if (!session) {
    console.error(`switchboard: connection denied (logged as session ${sessionId}):`);
    for (const reason of decision.reasons) console.error(`  ${reason}`);
    return 1;
  }
  const refused = await openCliForwards(core, sessionId, session, forwards);
  if (refused) {
    console.error(`switchboard: ${refused}`);
    await session.finish();
    return 1;
  }
  const interactive = command.length === 0;
  if (interactive && !process.stdin.isTTY) throw new UsageError('an interactive shell needs a terminal; pass a command after "--" to run it instead');
  const channel = await session.start(interactive ? { shell: { cols: process.stdout.columns || 80, rows: process.stdout.rows || 24, term: process.env.TERM || 'xterm-256color' } } : { exec: command.join(' ') });
  session.pipeOutput((data, source) => (source === 'stderr' ? process.stderr : process.stdout).write(data));
  // Through the session: it records the keystrokes first when the site records input.
  const onInput = (data: Buffer) => session.input(data);
  process.stdin.on('data', onInput);
  process.stdin.resume(); // a question on the terminal leaves stdin paused
  process.stdin.once('end', () => channel.endInput());
  const onResize = () => session.resize(process.stdout.columns, process.stdout.rows);
  if (interactive) {
    process.stdin.setRawMode(true);
    process.stdout.on('resize', onResize);
  }
  const result = await session.finish();
  process.stdin.off('data', onInput);
  process.stdin.pause();
  if (interactive) {
    process.stdin.setRawMode(false);
    process.stdout.off('resize', onResize);
  }
  if (result.error) console.error(`switchboard: ${result.error}`);
  if (interactive) console.error(`Session ${sessionId} ended; recorded to ${result.recording} (sha256 ${result.sha256?.slice(0, 16)}…).`);
  return result.error ? 255 : result.code ?? (result.signal ? 128 : 255);
}
