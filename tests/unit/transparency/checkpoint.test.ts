import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../../../main/core/transparency/checkpoint';
import { openNote } from '../../../main/core/transparency/signed-note';

// The C2SP tlog-checkpoint spec example.
const SPEC_NOTE = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';
const ROOT = Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64');

describe('checkpoint bodies', () => {
  it('parses the spec example and writes it back byte for byte', () => {
    const body = openNote(SPEC_NOTE).text;
    const parsed = parseCheckpoint(body);
    expect(parsed).toEqual({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash: ROOT, extensions: [] });
    expect(formatCheckpoint(parsed)).toBe(body);
  });

  it('round-trips extension lines and the empty tree', () => {
    const text = formatCheckpoint({ origin: 'switchboard.local/log/abc', size: 0, rootHash: ROOT, extensions: ['time 2026-05-01T10:00:00Z', 'x'] });
    expect(text).toBe(`switchboard.local/log/abc\n0\n${ROOT.toString('base64')}\ntime 2026-05-01T10:00:00Z\nx\n`);
    expect(parseCheckpoint(text).extensions).toEqual(['time 2026-05-01T10:00:00Z', 'x']);
  });

  it.each([
    ['two lines', 'example.com/log\n5\n', /needs an origin, a tree size and a root hash/],
    ['no final newline', `example.com/log\n5\n${ROOT.toString('base64')}`, /end with a newline/],
    ['empty origin', `\n5\n${ROOT.toString('base64')}\n`, /origin \(line 1\) is empty/],
    ['leading zero', `example.com/log\n05\n${ROOT.toString('base64')}\n`, /leading zeros/],
    ['negative size', `example.com/log\n-1\n${ROOT.toString('base64')}\n`, /not a decimal number/],
    ['size with a plus', `example.com/log\n+5\n${ROOT.toString('base64')}\n`, /not a decimal number/],
    ['size too large', `example.com/log\n18446744073709551615\n${ROOT.toString('base64')}\n`, /too large/],
    ['short root', `example.com/log\n5\n${ROOT.subarray(1).toString('base64')}\n`, /not base64 of 32 bytes/],
    ['root without padding', `example.com/log\n5\n${ROOT.toString('base64').replace(/=$/, '')}\n`, /not base64 of 32 bytes/],
    ['empty extension line', `example.com/log\n5\n${ROOT.toString('base64')}\next\n\n`, /extension line 5 is empty/],
    ['control character', `example.com/log\n5\n${ROOT.toString('base64')}\n\tx\n`, /control character/],
  ])('refuses %s', (_label, text, reason) => {
    expect(() => parseCheckpoint(text)).toThrow(reason);
    expect(() => parseCheckpoint(text)).toThrow(/^The checkpoint is malformed/);
  });

  it('refuses to format what it could not parse', () => {
    expect(() => formatCheckpoint({ origin: '', size: 1, rootHash: ROOT })).toThrow(/origin/);
    expect(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: ROOT })).toThrow(/origin/);
    expect(() => formatCheckpoint({ origin: 'o', size: -1, rootHash: ROOT })).toThrow(/whole number/);
    expect(() => formatCheckpoint({ origin: 'o', size: 1.5, rootHash: ROOT })).toThrow(/whole number/);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: ROOT.subarray(1) })).toThrow(/32 bytes/);
    expect(() => formatCheckpoint({ origin: 'o', size: 1, rootHash: ROOT, extensions: [''] })).toThrow(/extension/);
  });
});
