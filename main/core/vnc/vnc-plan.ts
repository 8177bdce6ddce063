import type { VncClipboard } from '../../../contract/domain/vocabulary';
import type { Host } from '../../../contract/models';
import { expectedSecurity } from './rfb-handshake';

/** How a VNC session to a host will go, before any byte is sent: what `connect --method vnc --print` shows and the 'started' event keeps. */
export interface VncPlan {
  host: string;
  /** The IP the policy approved, and the VNC port on it. */
  address: string;
  port: number;
  /** The SSH jump host the relay goes through, when the endpoint names one. */
  jump: { host: string; address: string; port: number } | null;
  /** The security type the server must offer (the profile's expectation, not the server's word). */
  security: string;
  viewOnly: boolean;
  clipboard: VncClipboard;
  inputRecorded: boolean;
}

export function vncPlan(host: Host, address: string, options: { jump: VncPlan['jump']; viewOnly: boolean; inputRecorded: boolean }): VncPlan {
  const vnc = host.vnc!;
  return {
    host: host.name, address, port: vnc.port, jump: options.jump,
    security: expectedSecurity({ password: Boolean(vnc.credential), tlsPin: vnc.tlsCertSha256 ?? null }),
    viewOnly: options.viewOnly || vnc.viewOnly === true,
    clipboard: vnc.clipboard ?? 'off',
    inputRecorded: options.inputRecorded,
  };
}

const CLIPBOARD_WORDS: Record<VncClipboard, string> = { off: 'off', 'to-engineer': 'server → engineer only', both: 'both ways' };

/** The plan as lines a person reads. */
export function describeVncPlan(plan: VncPlan): string {
  const at = (address: string, port: number) => `${address.includes(':') ? `[${address}]` : address}:${port}`;
  return [
    `VNC to ${plan.host} at ${at(plan.address, plan.port)} (the approved IP)`,
    plan.jump ? `  through SSH jump host ${plan.jump.host} at ${at(plan.jump.address, plan.jump.port)}` : '  direct TCP from this machine',
    `  security expected: ${plan.security}`,
    `  input: ${plan.viewOnly ? 'view-only (the relay drops every key and pointer event)' : 'keyboard and mouse'}; clipboard: ${CLIPBOARD_WORDS[plan.clipboard]}`,
    `  recording: the server's screen${plan.inputRecorded ? ' and the engineer\'s input' : ''}`,
  ].join('\n');
}
