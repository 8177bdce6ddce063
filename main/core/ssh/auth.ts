import { utils, type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type NextAuthHandler } from 'ssh2';
import { answerConnection } from './late-callback';

/**
 * Sign-in methods, tried one by one in the order given (Tabby's model). Secrets may be given lazily so
 * the keychain is asked only when a method is actually reached; none of them ever leaves the main process.
 */
export type Secret = string | (() => Promise<string>);

export interface KeyboardPrompt { prompt: string; echo: boolean }
export interface KeyboardChallenge { name: string; instructions: string; prompts: KeyboardPrompt[] }

export type AuthMethod =
  /** ssh-agent at `socket`, default `$SSH_AUTH_SOCK`. */
  | { kind: 'agent'; socket?: string }
  /** A private key in OpenSSH or PEM form; `passphrase` for an encrypted one. */
  | { kind: 'publickey'; privateKey: Secret; passphrase?: Secret }
  | { kind: 'password'; password: Secret }
  /** The server's questions (OTP, password…) answered by a person; answers in prompt order. */
  | { kind: 'keyboard-interactive'; respond(challenge: KeyboardChallenge, gone: AbortSignal): Promise<string[]> };

const SSH_METHOD: Record<AuthMethod['kind'], AuthenticationType> = {
  agent: 'agent',
  publickey: 'publickey',
  password: 'password',
  'keyboard-interactive': 'keyboard-interactive',
};

async function reveal(secret: Secret): Promise<string> {
  return typeof secret === 'string' ? secret : secret();
}

export interface AuthHooks {
  /** Stops the connect timer while a person answers a prompt. */
  waitingForPerson?(waiting: boolean): void;
  /** Aborts when the connection ends: late answers are then dropped, and open questions withdrawn. */
  gone?: AbortSignal;
  /** ssh2 threw while being answered (the connection broke under it). */
  failed?(error: unknown): void;
}

/** What happened, for the failure message: methods sent to the server and reasons others were skipped. */
export interface AuthLog { tried: string[]; notes: string[] }

/**
 * ssh2's `authHandler` for the ordered list: each call hands ssh2 the next method the server still
 * accepts. ssh2 calls it only after the host key was verified, so no credential precedes the check.
 */
export function createAuthHandler(username: string, methods: readonly AuthMethod[], hooks: AuthHooks = {}): { handler: AuthHandlerMiddleware; log: AuthLog } {
  const log: AuthLog = { tried: [], notes: [] };
  const gone = hooks.gone ?? new AbortController().signal;
  const answer = (callback: () => void): void => answerConnection(gone, callback, (error) => hooks.failed?.(error));
  let index = 0;

  const nextMethod = async (allowed: AuthenticationType[] | null): Promise<AnyAuthMethod | false> => {
    while (index < methods.length) {
      const method = methods[index++]!;
      if (allowed && !allowed.includes(SSH_METHOD[method.kind])) continue;
      const prepared = await prepare(method);
      if (typeof prepared === 'string') {
        log.notes.push(prepared);
        continue;
      }
      log.tried.push(method.kind);
      return prepared;
    }
    return false;
  };

  const prepare = async (method: AuthMethod): Promise<AnyAuthMethod | string> => {
    switch (method.kind) {
      case 'agent': {
        const socket = method.socket ?? process.env.SSH_AUTH_SOCK;
        if (!socket) return 'No ssh-agent is running (SSH_AUTH_SOCK is not set).';
        return { type: 'agent', username, agent: socket };
      }
      case 'publickey': {
        const key = await reveal(method.privateKey);
        const passphrase = method.passphrase === undefined ? undefined : await reveal(method.passphrase);
        const parsed = utils.parseKey(key, passphrase);
        if (parsed instanceof Error) {
          return /encrypted|passphrase|decrypt|bad decrypt/i.test(parsed.message)
            ? 'The private key could not be decrypted — its passphrase is missing or wrong.'
            : `The private key could not be read (${parsed.message}).`;
        }
        return { type: 'publickey', username, key, passphrase };
      }
      case 'password':
        return { type: 'password', username, password: await reveal(method.password) };
      case 'keyboard-interactive':
        return {
          type: 'keyboard-interactive',
          username,
          prompt: (name, instructions, _lang, prompts, finish) => {
            if (prompts.length === 0) return finish([]);
            hooks.waitingForPerson?.(true);
            method.respond({ name, instructions, prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true })) }, gone)
              .then((answers) => answer(() => finish(answers)), () => {
                log.notes.push('The keyboard-interactive prompt was cancelled.');
                answer(() => finish([]));
              })
              .finally(() => hooks.waitingForPerson?.(false));
          },
        };
    }
  };

  const handler: AuthHandlerMiddleware = (authsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    nextMethod(authsLeft).then(
      (method) => answer(() => next(method as AnyAuthMethod)),
      (error: Error) => {
        log.notes.push(`A credential could not be read: ${error.message}.`);
        answer(() => next(false as unknown as AnyAuthMethod));
      },
    );
  };
  return { handler, log };
}
