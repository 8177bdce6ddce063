import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contract } from '../../contract/api';
import { API_METHOD_NAMES } from '../../contract/method-names';

/**
 * The preload (and the browser-mode transport) expose `API_METHOD_NAMES`, a plain list kept apart from
 * `contract` so zod stays out of the sandboxed preload bundle. It must name exactly the contract's
 * methods: one missing is a method the window cannot call, one extra is a door with no handler.
 */
describe('the preload method list', () => {
  it('names exactly the contract methods, once each', () => {
    expect(new Set(API_METHOD_NAMES).size).toBe(API_METHOD_NAMES.length);
    expect([...API_METHOD_NAMES].sort()).toEqual(Object.keys(contract).sort());
  });

  it('is what the preload exposes, and the preload exposes nothing generic', () => {
    const preload = fs.readFileSync(new URL('../../preload/index.ts', import.meta.url), 'utf8');
    expect(preload).toMatch(/API_METHOD_NAMES\.map\(/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\b(?!\.)/);
    expect([...preload.matchAll(/exposeInMainWorld\('(\w+)'/g)].map((m) => m[1])).toEqual(['switchboard', 'switchboardTerminals']);
  });
});
