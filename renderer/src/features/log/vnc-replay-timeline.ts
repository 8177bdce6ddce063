/**
 * The pure half of a VNC replay: a recording's events on the same idle-capped clock as SSH replays,
 * and the viewer's recorded input ('i' events, whole RFB client messages) turned into something a
 * reviewer can read — keys typed as text, clicks with their position, clipboard sent.
 */
import type { VncRecordingEvent } from '../../../../contract/vnc-recording-format';
import { buildTimeline, type InputGroup } from './replay-timeline';

export interface VncTimeline {
  /** Seconds on the replay clock of each event (idle gaps capped), never decreasing. */
  times: number[];
  duration: number;
  inputs: InputGroup[];
}

/** RFB client message types (RFC 6143 §7.5) that carry what a person did. */
const CLIENT = { keyEvent: 4, pointerEvent: 5, clientCutText: 6 } as const;

/** X keysyms a reviewer should see by name; the rest of the function keys show as ‹0xff..›. */
const KEYSYM_NAMES: Record<number, string> = {
  0xff08: '⌫', 0xff09: '⇥', 0xff0d: '⏎', 0xff1b: '␛', 0xffff: '⌦', 0xff8d: '⏎',
  0xff50: '‹Home›', 0xff51: '←', 0xff52: '↑', 0xff53: '→', 0xff54: '↓', 0xff55: '‹PgUp›', 0xff56: '‹PgDn›', 0xff57: '‹End›', 0xff63: '‹Ins›',
  0xffe1: '', 0xffe2: '', 0xffe3: '‹Ctrl›', 0xffe4: '‹Ctrl›', 0xffe9: '‹Alt›', 0xffea: '‹Alt›', 0xffe7: '‹Meta›', 0xffe8: '‹Meta›', 0xffeb: '‹Super›', 0xffec: '‹Super›',
};

/** One key pressed, as text: printable keysyms as their character (Latin-1 and Unicode keysyms), the rest by name. */
export function keysymText(keysym: number): string {
  const named = KEYSYM_NAMES[keysym];
  if (named !== undefined) return named;
  if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) return String.fromCharCode(keysym);
  if (keysym >= 0x0100_0000 && keysym <= 0x0110_ffff) return String.fromCodePoint(keysym - 0x0100_0000);
  if (keysym >= 0xffbe && keysym <= 0xffe0) return `‹F${keysym - 0xffbe + 1}›`;
  return `‹0x${keysym.toString(16)}›`;
}

/**
 * What one recorded viewer message shows a reviewer, or null for what nobody did by hand (pixel
 * format, encodings, update requests, key releases, pointer moves without a new button press).
 * `buttons` is the pointer's button mask before this message; the new mask is returned with it.
 */
export function describeVncInput(data: Uint8Array, buttons: number): { text: string | null; buttons: number } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (data[0]) {
    case CLIENT.keyEvent:
      if (data.length < 8 || data[1] === 0) return { text: null, buttons };
      return { text: keysymText(view.getUint32(4)) || null, buttons };
    case CLIENT.pointerEvent: {
      if (data.length < 6) return { text: null, buttons };
      const mask = data[1]!;
      const pressed = mask & ~buttons;
      if (pressed === 0) return { text: null, buttons: mask };
      const which = pressed & 0b1 ? 'click' : pressed & 0b100 ? 'right-click' : pressed & 0b10 ? 'middle-click' : pressed & 0b1000 ? 'scroll up' : pressed & 0b10000 ? 'scroll down' : 'button';
      return { text: `[${which} ${view.getUint16(2)},${view.getUint16(4)}]`, buttons: mask };
    }
    case CLIENT.clientCutText: {
      if (data.length < 8) return { text: null, buttons };
      const length = view.getInt32(4);
      // A negative length is the Extended Clipboard pseudo-encoding's message: its text is compressed.
      if (length < 0) return { text: '[clipboard sent]', buttons };
      const text = new TextDecoder('latin1').decode(data.subarray(8, 8 + length));
      return { text: `[clipboard: ${text.length > 60 ? `${text.slice(0, 60)}…` : text}]`, buttons };
    }
    default:
      return { text: null, buttons };
  }
}

/** Input close in time is shown together, as in SSH replays; Enter and a click start a new group. */
const INPUT_GROUP_GAP = 2;

export function buildVncTimeline(events: readonly VncRecordingEvent[], maxIdleSeconds: number): VncTimeline {
  const { times, duration } = buildTimeline(events.map((e) => [e.t / 1000, e.kind, ''] as [number, string, string]), maxIdleSeconds);
  const inputs: InputGroup[] = [];
  let open: InputGroup | null = null;
  let buttons = 0;
  events.forEach((event, i) => {
    if (event.kind !== 'i') return;
    const described = describeVncInput(event.data, buttons);
    buttons = described.buttons;
    if (!described.text) return;
    const time = times[i]!;
    const isClick = described.text.startsWith('[');
    if (!open || isClick || time - open.time > INPUT_GROUP_GAP) {
      open = { time, text: '' };
      inputs.push(open);
    }
    open.text += described.text;
    if (isClick || described.text === '⏎') open = null;
  });
  return { times, duration, inputs };
}
