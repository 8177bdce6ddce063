/**
 * Reads a VPN client's profile file the way the client itself reads it, to find what the policy
 * cannot allow: directives that make the client run a program (hooks), and gateways other than the
 * one the policy approves. Pure: text in, findings out. Where our reading and the client's could
 * differ, it errs towards seeing a directive where the client would not (a false refusal can be
 * fixed by editing the file; a missed hook runs as root on Connect).
 *
 *   OpenVPN    options.c read_config_file/parse_line: one line = one option, `#`/`;` comments at
 *              the start of a token, quotes and backslashes, an optional `--` before the name,
 *              `setenv opt NAME …` applies NAME, `<tag>…</tag>` inline blocks, 256-byte read buffer.
 *   WireGuard  wg-quick (bash, nocasematch) and wg setconf: `#` comments anywhere, `Key = value`,
 *              keys case-insensitive, wg drops every blank inside a line before matching.
 */
import type { VpnClient } from '../../../contract/domain/vocabulary';

export interface ProfileLine {
  /** 1-based line number in the file. */
  line: number;
  /** The option as the client reads it (lower case), e.g. `up`, `postup`, `<connection>`. */
  directive: string;
}

export interface ProfileProblem extends ProfileLine {
  message: string;
}

/** The one gateway line the profile names (OpenVPN may list several `remote` lines for one server). */
export interface ProfileEndpoint extends ProfileLine {
  host: string;
  port?: number;
  /** OpenVPN's optional protocol on the `remote` line. */
  proto?: string;
}

export interface ProfileReading {
  problems: ProfileProblem[];
  endpoints: ProfileEndpoint[];
}

const RUNS_A_COMMAND = 'runs a command on the engineer\'s machine when the VPN connects or disconnects';

/** OpenVPN options that run a program or load code, with why each is refused. */
const OPENVPN_HOOKS: Readonly<Record<string, string>> = {
  up: RUNS_A_COMMAND,
  down: RUNS_A_COMMAND,
  'route-up': RUNS_A_COMMAND,
  'route-pre-down': RUNS_A_COMMAND,
  ipchange: 'runs a command when the remote address changes',
  'tls-verify': 'runs a command to verify each certificate',
  'auth-user-pass-verify': 'runs a command to verify passwords',
  'client-connect': 'runs a command for each connecting client',
  'client-disconnect': 'runs a command for each disconnecting client',
  'learn-address': 'runs a command for each learned address',
  'tls-crypt-v2-verify': 'runs a command to verify client keys',
  plugin: 'loads a shared library into the client',
  iproute: 'replaces the `ip` program the client runs with another program',
  config: 'reads another file Switchboard has not checked',
};

const OPENVPN_PROTOS = new Set(['udp', 'tcp', 'udp4', 'udp6', 'tcp4', 'tcp6', 'tcp-client']);

const WIREGUARD_HOOKS = new Set(['preup', 'postup', 'predown', 'postdown']);

/** openconnect config files hold long options; these run a program. */
const OPENCONNECT_HOOKS: Readonly<Record<string, string>> = {
  script: 'runs a program (the vpnc-script) as root to set up the tunnel',
  'script-tun': 'runs a program that carries the tunnel traffic',
  'csd-wrapper': 'runs a program the gateway asks for (host scan)',
  'external-browser': 'runs a program to authenticate',
};

/** openfortivpn config `key = value`; this loads code into pppd. */
const OPENFORTIVPN_HOOKS: Readonly<Record<string, string>> = {
  'pppd-plugin': 'loads a shared library into pppd, which runs as root',
};

/** OpenVPN reads a config file with fgets into a 256-byte buffer: a longer line is read as several. */
export const OPENVPN_MAX_LINE_BYTES = 254;

/**
 * What the client would read in `text`: the problems that make the profile unacceptable (hooks, and a
 * gateway Switchboard could not force) and the lines that name the gateway.
 */
export function readVpnProfile(client: VpnClient, text: string): ProfileReading {
  const problems: ProfileProblem[] = [];
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    problems.push({ line: lineOf(text, nul), directive: 'NUL', message: 'contains a NUL byte; a profile is a text file' });
    return { problems, endpoints: [] };
  }
  switch (client) {
    case 'openvpn': return readOpenVpn(text);
    case 'wireguard': return readWireGuard(text);
    case 'openconnect': return { problems: readOptionFile(text, OPENCONNECT_HOOKS, /[\s=]/), endpoints: [] };
    case 'forticlient': return { problems: readOptionFile(text, OPENFORTIVPN_HOOKS, /[\s=]/), endpoints: [] };
  }
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Lines as the clients split them: on "\n" only (a lone "\r" is blank space inside a line to both). */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// C isspace() in the C locale.
const C_SPACE = /[ \t\n\v\f\r]/;

interface Tokens {
  tokens: string[];
  /** The line ends in a backslash OpenVPN refuses; the tokens read before it still count here. */
  badBackslash: boolean;
}

/** OpenVPN's parse_line: blanks separate tokens, "…" and '…' quote, a backslash escapes \ " and blanks. */
export function openVpnTokens(line: string): Tokens {
  const tokens: string[] = [];
  type State = 'initial' | 'unquoted' | 'quoted' | 'squoted';
  let state: State = 'initial';
  let backslash = false;
  let current = '';
  const done = () => {
    tokens.push(current);
    current = '';
    state = 'initial';
  };
  for (const ch of line) {
    if (!backslash && ch === '\\' && state !== 'squoted') {
      backslash = true;
      continue;
    }
    let out: string | null = null;
    if (state === 'initial') {
      if (!C_SPACE.test(ch)) {
        if (ch === ';' || ch === '#') return { tokens, badBackslash: false };
        if (!backslash && ch === '"') state = 'quoted';
        else if (!backslash && ch === "'") state = 'squoted';
        else {
          out = ch;
          state = 'unquoted';
        }
      }
    } else if (state === 'unquoted') {
      if (!backslash && C_SPACE.test(ch)) done();
      else out = ch;
    } else if (state === 'quoted') {
      if (!backslash && ch === '"') done();
      else out = ch;
    } else if (ch === "'") {
      done();
    } else {
      out = ch;
    }
    if (backslash && out !== null && !(out === '\\' || out === '"' || C_SPACE.test(out))) {
      if (state !== 'initial') tokens.push(current);
      return { tokens, badBackslash: true };
    }
    backslash = false;
    if (out !== null) current += out;
  }
  if (state !== 'initial') tokens.push(current);
  return { tokens, badBackslash: false };
}

/** The option name OpenVPN applies: `--name` is `name`, and `setenv opt NAME …` applies NAME. */
function openVpnOption(tokens: string[]): { name: string; args: string[] } | null {
  const strip = (token: string) => (token.length >= 3 && token.startsWith('--') ? token.slice(2) : token).toLowerCase();
  if (tokens.length === 0) return null;
  const first = strip(tokens[0]!);
  if (first === 'setenv' && tokens[1]?.toLowerCase() === 'opt') {
    if (tokens.length < 3) return { name: 'setenv', args: tokens.slice(1) };
    return { name: strip(tokens[2]!), args: tokens.slice(3) };
  }
  return { name: first, args: tokens.slice(1) };
}

function readOpenVpn(text: string): ProfileReading {
  const problems: ProfileProblem[] = [];
  const endpoints: ProfileEndpoint[] = [];
  let inlineTag: string | null = null;
  splitLines(text.replace(/^\uFEFF/, '')).forEach((raw, index) => {
    const line = index + 1;
    if (Buffer.byteLength(raw, 'utf8') > OPENVPN_MAX_LINE_BYTES) {
      problems.push({
        line, directive: 'long line',
        message: `is longer than ${OPENVPN_MAX_LINE_BYTES} bytes; OpenVPN reads a long line in pieces and would take the rest as a line of its own`,
      });
      return;
    }
    if (inlineTag !== null) {
      // Close at the first line that could end the block, so nothing OpenVPN reads as an option is skipped.
      if (raw.replace(/^[ \t\v\f\r]+/, '').toLowerCase().startsWith(`</${inlineTag}>`)) inlineTag = null;
      return;
    }
    const option = openVpnOption(openVpnTokens(raw).tokens);
    if (!option) return;
    const tag = /^<(.+)>$/.exec(option.name);
    const name = tag && option.args.length === 0 ? tag[1]! : option.name;
    if (tag && option.args.length === 0) inlineTag = name;
    if (name === 'connection') {
      problems.push({ line, directive: '<connection>', message: 'opens a <connection> block, which names its own remote; put its options at the top level so Switchboard can set the remote' });
      return;
    }
    const hook = OPENVPN_HOOKS[name];
    if (hook) {
      problems.push({ line, directive: name, message: `\`${name}\` ${hook}; Switchboard refuses profiles with hooks — remove the line` });
      return;
    }
    if (name === 'script-security' && !/^[01]$/.test(option.args[0] ?? '')) {
      problems.push({ line, directive: name, message: `\`script-security ${option.args[0] ?? ''}\` lets the profile run scripts; only 0 or 1 is accepted — remove the line` });
      return;
    }
    if (name === 'remote' && !tag) {
      const endpoint = openVpnRemote(line, option.args);
      if ('message' in endpoint) problems.push(endpoint);
      else endpoints.push(endpoint);
    }
  });
  return { problems, endpoints };
}

function openVpnRemote(line: number, args: string[]): ProfileEndpoint | ProfileProblem {
  const [host, port, proto, ...rest] = args;
  const problem = (message: string): ProfileProblem => ({ line, directive: 'remote', message });
  if (!host) return problem('`remote` names no server');
  if (rest.length > 0) return problem('`remote` has more than a server, a port and a protocol');
  const endpoint: ProfileEndpoint = { line, directive: 'remote', host };
  if (port !== undefined) {
    const number = parsePort(port);
    if (number === null) return problem(`\`remote\` port ${JSON.stringify(port)} is not a port number (1–65535)`);
    endpoint.port = number;
  }
  if (proto !== undefined) {
    if (!OPENVPN_PROTOS.has(proto.toLowerCase())) return problem(`\`remote\` protocol ${JSON.stringify(proto)} is not one of ${[...OPENVPN_PROTOS].join(', ')}`);
    endpoint.proto = proto.toLowerCase();
  }
  return endpoint;
}

function parsePort(text: string): number | null {
  if (!/^[0-9]{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : null;
}

/** A WireGuard line's key as wg-quick and wg compare it: before "=", comment cut, blanks dropped, lower case. */
export function wireGuardKey(raw: string): { key: string; value: string } {
  const stripped = raw.split('#', 1)[0]!;
  const eq = stripped.indexOf('=');
  const key = (eq < 0 ? stripped : stripped.slice(0, eq)).replace(/\s+/g, '').toLowerCase();
  const value = eq < 0 ? '' : stripped.slice(eq + 1).replace(/\s+/g, '');
  return { key, value };
}

function readWireGuard(text: string): ProfileReading {
  const problems: ProfileProblem[] = [];
  const endpoints: ProfileEndpoint[] = [];
  let section = '';
  splitLines(text.replace(/^\uFEFF/, '')).forEach((raw, index) => {
    const line = index + 1;
    const { key, value } = wireGuardKey(raw);
    if (key.startsWith('[')) {
      section = key;
      return;
    }
    if (WIREGUARD_HOOKS.has(key)) {
      problems.push({ line, directive: key, message: `\`${raw.split('=', 1)[0]!.trim()}\` ${RUNS_A_COMMAND} (wg-quick runs it as root); Switchboard refuses profiles with hooks — remove the line` });
      return;
    }
    if (key === 'endpoint') {
      const endpoint = wireGuardEndpoint(line, value, section);
      if ('message' in endpoint) problems.push(endpoint);
      else endpoints.push(endpoint);
    }
  });
  if (endpoints.length === 0 && !problems.some((p) => p.directive === 'endpoint')) {
    problems.push({ line: 0, directive: 'endpoint', message: 'names no Endpoint in a [Peer]; Switchboard needs one to know the port of the gateway it connects to' });
  }
  if (endpoints.length > 1) {
    problems.push({ line: endpoints[1]!.line, directive: 'endpoint', message: `is a second Endpoint (the first is on line ${endpoints[0]!.line}); Switchboard connects a WireGuard profile to one approved gateway, so keep one [Peer] with an Endpoint` });
  }
  return { problems, endpoints };
}

function wireGuardEndpoint(line: number, value: string, section: string): ProfileEndpoint | ProfileProblem {
  const problem = (message: string): ProfileProblem => ({ line, directive: 'endpoint', message });
  if (section !== '[peer]') return problem('is an Endpoint outside a [Peer] section');
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([^:]+)$/.exec(value);
  const port = match ? parsePort(match[3]!) : null;
  if (!match || port === null) return problem(`Endpoint ${JSON.stringify(value)} is not HOST:PORT (an IPv6 address in brackets)`);
  return { line, directive: 'endpoint', host: match[1] ?? match[2]!, port };
}

/** openconnect and openfortivpn: one option per line, `#` comments, a name then "=" or blanks. */
function readOptionFile(text: string, hooks: Readonly<Record<string, string>>, nameEnd: RegExp): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  splitLines(text.replace(/^\uFEFF/, '')).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const end = trimmed.search(nameEnd);
    const name = (end < 0 ? trimmed : trimmed.slice(0, end)).replace(/^--/, '').toLowerCase();
    const hook = hooks[name];
    if (hook) problems.push({ line: index + 1, directive: name, message: `\`${name}\` ${hook}; Switchboard refuses profiles with hooks — remove the line` });
  });
  return problems;
}
