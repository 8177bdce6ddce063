import { describe, expect, it } from 'vitest';
import { OutputPacer } from '../../renderer/src/api/output-pacer';
import { fakeClock } from '../helpers/fake-pacer-clock';

/** An xterm stand-in: records writes; `finish()` calls back the oldest unfinished one (xterm writes in order). */
function fakeTerminal() {
  const writes: string[] = [];
  const callbacks: Array<() => void> = [];
  return {
    writes,
    write: (data: Uint8Array, written: () => void) => { writes.push(new TextDecoder().decode(data)); callbacks.push(written); },
    finish: () => callbacks.shift()!(),
    busy: () => callbacks.length,
  };
}

const bytes = (text: string) => new TextEncoder().encode(text);

function setUp(paceMs = 50) {
  const time = fakeClock();
  const term = fakeTerminal();
  const acks: Array<[number, number]> = [];
  const page = { visible: true };
  const pacer = new OutputPacer(term.write, (n, held) => acks.push([n, held]), { paceMs, quietAfterInputMs: 500, clock: time.clock, visible: () => page.visible });
  return { time, term, acks, pacer, page };
}

describe('OutputPacer (terminal output → xterm.js)', () => {
  it('writes output after a quiet spell at once, and acknowledges it when xterm.js has written it', () => {
    const { term, acks, pacer } = setUp();
    pacer.push(bytes('$ '));
    expect(term.writes).toEqual(['$ ']);
    expect(acks).toEqual([]);
    term.finish();
    expect(acks).toEqual([[2, 0]]);
  });

  it('while output streams, joins what arrives into one write per pace, only after the previous write finished', () => {
    const { time, term, acks, pacer } = setUp(50);
    pacer.push(bytes('a'));
    expect(term.writes).toEqual(['a']);
    time.advance(5);
    pacer.push(bytes('b')); // xterm.js is still writing 'a'
    time.advance(5);
    term.finish();
    pacer.push(bytes('c'));
    time.advance(30); // 40 ms since 'a' was handed over: still held
    pacer.push(bytes('d'));
    expect(term.writes).toEqual(['a']);
    time.advance(10); // 50 ms: one write with all of it, in order
    expect(term.writes).toEqual(['a', 'bcd']);
    term.finish();
    // 'd' (the newest) arrived at 40 ms; xterm.js was free from 10 ms on; written at 50 ms: held 10 ms.
    expect(acks).toEqual([[1, 0], [3, 10]]);
  });

  it('counts only the wait it added as held, not the time xterm.js was busy', () => {
    const { time, term, acks, pacer } = setUp(50);
    pacer.push(bytes('a'));
    time.advance(20);
    pacer.push(bytes('b'));
    time.advance(60); // xterm.js takes 80 ms for 'a'
    term.finish(); // past the pace already: 'b' goes at once
    expect(term.writes).toEqual(['a', 'b']);
    term.finish();
    expect(acks).toEqual([[1, 0], [1, 0]]);
  });

  it('a keystroke writes what was held at once, and nothing is held while the person types', () => {
    const { time, term, pacer } = setUp(50);
    pacer.push(bytes('y\n'));
    term.finish();
    time.advance(1);
    pacer.push(bytes('y\ny\n'));
    expect(term.writes).toEqual(['y\n']);
    pacer.input(); // Ctrl-C
    expect(term.writes).toEqual(['y\n', 'y\ny\n']);
    term.finish();
    time.advance(1);
    pacer.push(bytes('^C\n$ '));
    expect(term.writes).toEqual(['y\n', 'y\ny\n', '^C\n$ ']);
    term.finish();
    time.advance(600); // quiet again: streaming output is paced again
    pacer.push(bytes('1'));
    time.advance(1);
    term.finish();
    pacer.push(bytes('2'));
    expect(term.writes).toEqual(['y\n', 'y\ny\n', '^C\n$ ', '1']);
  });

  it('with a pace of 0 it only joins what arrives while xterm.js is busy', () => {
    const { time, term, pacer } = setUp(0);
    pacer.push(bytes('a'));
    pacer.push(bytes('b'));
    pacer.push(bytes('c'));
    expect(term.writes).toEqual(['a']);
    term.finish();
    expect(term.writes).toEqual(['a', 'bc']);
    term.finish();
    time.advance(1);
    pacer.push(bytes('d'));
    expect(term.writes).toEqual(['a', 'bc', 'd']);
  });

  it('close() drops what waits, writes nothing more and acknowledges nothing more', () => {
    const { time, term, acks, pacer } = setUp(50);
    pacer.push(bytes('a'));
    term.finish();
    pacer.push(bytes('b'));
    pacer.close();
    time.advance(100);
    expect(term.writes).toEqual(['a']);
    pacer.push(bytes('c'));
    expect(term.writes).toEqual(['a']);
    expect(acks).toEqual([[1, 0]]);
    expect(time.pending()).toBe(0);
  });

  it('flush() hands over what waits at once, even while xterm.js still writes, so later writes stay in order', () => {
    const { time, term, pacer } = setUp(50);
    pacer.push(bytes('a'));
    time.advance(1);
    pacer.push(bytes('b')); // waits for 'a'
    pacer.flush();
    expect(term.writes).toEqual(['a', 'b']);
    term.finish();
    term.finish();
    time.advance(1);
    pacer.push(bytes('c')); // held by the pace
    pacer.flush();
    expect(term.writes).toEqual(['a', 'b', 'c']);
    expect(time.pending()).toBe(0);
  });

  it('holds nothing while the page is hidden (no frames to save, and its timers are throttled)', () => {
    const { time, term, pacer, page } = setUp(50);
    page.visible = false;
    pacer.push(bytes('a'));
    term.finish();
    time.advance(1);
    pacer.push(bytes('b'));
    expect(term.writes).toEqual(['a', 'b']);
  });

  it('ignores empty chunks', () => {
    const { term, pacer } = setUp();
    pacer.push(new Uint8Array(0));
    expect(term.writes).toEqual([]);
  });
});
