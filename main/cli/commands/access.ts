import type { Method } from '../../../contract/domain/vocabulary';
import { METHODS } from '../../../contract/domain/vocabulary';
import type { CliContext } from '../context';
import { UsageError } from '../errors';
import { resolveSiteRef } from '../site-ref';
import { parseForwardSpecs } from '../forwards';
import { runSsh } from '../ssh-terminal';
import { writeFileAtomic } from '../write-file';

export interface AccessFlags {
  site?: string; target?: string; method?: string; ticket?: string; print: boolean; json: boolean; 'presenter-confirmed': boolean; 'accept-new-host-key': boolean;
  /** VNC: take one frame into this PNG file (through the same policy, relay and sign-in as the viewer). */
  snapshot?: string;
  'view-only': boolean;
  /** `[LOCALPORT:]HOST:PORT`, repeatable; SSH only. */
  forward?: string[];
}

async function request(ctx: CliContext, flags: AccessFlags, usage: string) {
  if (!flags.target || !flags.method || !flags.ticket) throw new UsageError(`usage: ${usage}`);
  if (!(METHODS as readonly string[]).includes(flags.method)) throw new UsageError(`--method is one of ${METHODS.join(', ')} (got "${flags.method}")`);
  return {
    siteId: await resolveSiteRef(ctx.core(), flags.site),
    target: flags.target,
    method: flags.method as Method,
    ticket: flags.ticket,
    presenterConfirmed: flags['presenter-confirmed'],
  };
}

/** A dry run of the policy: decides, explains, logs nothing. */
export async function policyCheck(ctx: CliContext, flags: AccessFlags): Promise<number> {
  const decision = await ctx.core().services.policy.check(
    await request(ctx, flags, 'switchboard policy check --site "CUSTOMER/SITE" --target TARGET --method M --ticket TICKET [--presenter-confirmed] --json'),
  );
  if (flags.json) console.log(JSON.stringify(decision, null, 2));
  else console.log(`${decision.allowed ? 'ALLOW' : 'DENY'}${decision.address ? ` → ${decision.address}` : ''}\n${decision.reasons.map((r) => `  ${r}`).join('\n')}`);
  return decision.allowed ? 0 : 1;
}

/** A real attempt, logged whether allowed or denied; a VPN session lasts as long as its client. */
export async function connect(ctx: CliContext, flags: AccessFlags, command: string[] = []): Promise<number> {
  const core = ctx.core();
  if (flags.method === 'ssh' && !flags.print) {
    const { siteId, target, ticket } = await request(ctx, flags, 'switchboard connect --method ssh --site "CUSTOMER/SITE" --target HOST --ticket TICKET [--forward [LOCALPORT:]HOST:PORT]… [-- COMMAND…]');
    return runSsh(core, { siteId, target, ticket }, command, flags['accept-new-host-key'], parseForwardSpecs(flags.forward));
  }
  if (flags.method === 'https' && !flags.print) return openConsole(ctx, flags);
  if (flags.method === 'vnc') return vnc(ctx, flags);
  if (flags.snapshot !== undefined) throw new UsageError('--snapshot is only for --method vnc');
  if (command.length > 0) throw new UsageError('a command after "--" is only for --method ssh');
  if (flags.forward?.length) throw new UsageError('--forward is only for --method ssh (without --print)');
  const result = await core.launches.open(
    await request(ctx, flags, 'switchboard connect --site "CUSTOMER/SITE" --target TARGET --method M --ticket TICKET [--print] [--presenter-confirmed]'),
    { print: flags.print },
  );
  if (!result.decision.allowed) {
    console.error(`switchboard: connection denied (logged as session ${result.sessionId}):`);
    for (const reason of result.decision.reasons) console.error(`  ${reason}`);
    return 1;
  }
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  if (result.launch?.kind === 'link' && result.launch.failure) {
    console.error(`switchboard: ${result.launch.failure} (logged as session ${result.sessionId})`);
    console.error(`  open it yourself: ${result.launch.url}${result.launch.partnerId ? `\n  ID: ${result.launch.partnerId}` : ''}`);
    return 1;
  }
  if (!flags.json) console.log(result.message);
  if (result.launch?.kind === 'process') {
    const stop = () => void core.launches.stop(result.sessionId).catch(() => undefined);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const exit = await core.launches.waitForExit(result.sessionId);
    if (exit) console.error(`${result.launch.command[0]} exited (${exit.exitCode ?? exit.signal}).`);
  }
  return 0;
}

/**
 * An HTTPS console from the terminal: the same policy and certificate check as the window, then the
 * exact URL goes to the engineer's browser. `--print` keeps the old behaviour (the URL, no check).
 */
async function openConsole(ctx: CliContext, flags: AccessFlags): Promise<number> {
  if (flags.forward?.length) throw new UsageError('--forward is only for --method ssh (without --print)');
  const { siteId, target, ticket } = await request(ctx, flags, 'switchboard connect --method https --site "CUSTOMER/SITE" --target HOST --ticket TICKET [--print]');
  const opened = await ctx.core().consoles.open({ siteId, target, ticket });
  if (!opened.decision.allowed || !opened.console) {
    console.error(`switchboard: connection denied (logged as session ${opened.sessionId}):`);
    for (const reason of opened.decision.reasons) console.error(`  ${reason}`);
    return 1;
  }
  if (flags.json) console.log(JSON.stringify(opened, null, 2));
  else {
    const { url, certificate } = opened.console;
    console.log(`${opened.message}\n  ${url}\n  certificate SHA-256 ${certificate.fingerprint} (${certificate.reason})`);
  }
  return 0;
}

const VNC_USAGE = 'switchboard connect --method vnc --site "CUSTOMER/SITE" --target HOST --ticket TICKET (--print | --snapshot FILE.png) [--view-only]';

/**
 * VNC from the terminal: `--print` shows the plan (approved IP, port, jump host, the security type the
 * server must offer); `--snapshot` connects through the same policy, relay and sign-in as the window's
 * viewer, takes one full frame into a PNG, and logs the session with the picture's hash.
 */
async function vnc(ctx: CliContext, flags: AccessFlags): Promise<number> {
  if (flags.forward?.length) throw new UsageError('--forward is only for --method ssh (without --print)');
  if (flags.print === (flags.snapshot !== undefined)) throw new UsageError(`usage: ${VNC_USAGE}\n(the viewer itself is in the window: npm run web, or the desktop app)`);
  const { siteId, target, ticket } = await request(ctx, flags, VNC_USAGE);
  const core = ctx.core();
  const denied = (sessionId: string, reasons: string[]) => {
    console.error(`switchboard: connection denied (logged as session ${sessionId}):`);
    for (const reason of reasons) console.error(`  ${reason}`);
    return 1;
  };
  if (flags.print) {
    const planned = await core.planVnc({ siteId, target, ticket, viewOnly: flags['view-only'] });
    if (!planned.plan) return denied(planned.sessionId, planned.decision.reasons);
    if (flags.json) console.log(JSON.stringify(planned, null, 2));
    else console.log(planned.text);
    return 0;
  }
  const file = flags.snapshot!;
  if (!/\.png$/i.test(file)) throw new UsageError(`--snapshot writes a PNG; name the file FILE.png (got "${file}")`);
  const opened = await core.openVnc({ siteId, target, ticket, viewOnly: true });
  if (!opened.session) return denied(opened.sessionId, opened.decision.reasons);
  const shot = await opened.session.snapshot();
  writeFileAtomic(file, shot.png);
  const result = { sessionId: opened.sessionId, file, width: shot.width, height: shot.height, sha256: shot.sha256, recording: shot.end.recording, recordingSha256: shot.end.sha256 };
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  else console.log(`Saved a ${shot.width}×${shot.height} snapshot of ${opened.decision.host} to ${file} (SHA-256 ${shot.sha256}); logged as session ${opened.sessionId}.`);
  return 0;
}
