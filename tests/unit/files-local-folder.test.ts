import { describe, expect, it } from 'vitest';
import { countFolder, folderFromEntry, foldersFromRelativePaths, type FileEntryLike, type LocalFolder } from '../../renderer/src/features/files/local-folder';

/** A folder as Chromium's entries API hands it out: `readEntries` in batches of `batch`, then an empty one. */
function dir(name: string, children: FileEntryLike[], batch = 2): FileEntryLike {
  return {
    isFile: false, isDirectory: true, name,
    createReader: () => {
      let at = 0;
      return { readEntries: (ok) => { const next = children.slice(at, at + batch); at += next.length; setTimeout(() => ok(next), 0); } };
    },
  };
}
const file = (name: string, text = name): FileEntryLike => ({ isFile: true, isDirectory: false, name, file: (ok) => ok(new File([text], name)) });

/** The tree as paths, in the order the upload walks it (folders end with "/"). */
function walk(folder: LocalFolder, prefix = ''): string[] {
  return folder.entries.flatMap((e) => (e.kind === 'file' ? [`${prefix}${e.name}`] : [`${prefix}${e.folder.name}/`, ...walk(e.folder, `${prefix}${e.folder.name}/`)]));
}

const withPath = (rel: string, text = 'x') => {
  const f = new File([text], rel.split('/').pop()!);
  Object.defineProperty(f, 'webkitRelativePath', { value: rel });
  return f;
};

describe('a folder from this computer, as the upload walks it', () => {
  it('reads a dropped folder whole, past the reader\'s batches, sorted by name with folders among the files', async () => {
    const dropped = dir('conf', [file('z.cfg'), dir('b', [file('2.txt'), file('1.txt'), file('3.txt')], 1), file('a.yaml'), dir('empty', []), file('c.bin', 'abcdef')]);
    const folder = await folderFromEntry(dropped);
    expect(folder.name).toBe('conf');
    expect(walk(folder)).toEqual(['a.yaml', 'b/', 'b/1.txt', 'b/2.txt', 'b/3.txt', 'c.bin', 'empty/', 'z.cfg']);
    expect(countFolder(folder)).toEqual({ files: 6, bytes: 'a.yaml'.length + 15 + 6 + 'z.cfg'.length, folders: 3 });
  });

  it('a read error of the folder is not swallowed', async () => {
    const broken: FileEntryLike = { isFile: false, isDirectory: true, name: 'x', createReader: () => ({ readEntries: (_ok, fail) => fail(new Error('permission denied')) }) };
    await expect(folderFromEntry(broken)).rejects.toThrow('permission denied');
  });

  it.each([
    ['one folder, nested', ['conf/app.yaml', 'conf/nested/deep/y.bin', 'conf/nested/x.cfg'], { conf: ['app.yaml', 'nested/', 'nested/deep/', 'nested/deep/y.bin', 'nested/x.cfg'] }, []],
    ['two folders', ['b/1', 'a/2'], { b: ['1'], a: ['2'] }, []],
    ['loose files are left for the plain upload', ['top.txt', 'logs/a.log'], { logs: ['a.log'] }, ['top.txt']],
    ['nothing', [], {}, []],
  ])('files picked with their folder: %s', (_what, paths, expected, loose) => {
    const result = foldersFromRelativePaths(paths.map((p) => withPath(p)));
    expect(Object.fromEntries(result.folders.map((f) => [f.name, walk(f)]))).toEqual(expected);
    expect(result.loose.map((f) => f.name)).toEqual(loose);
  });
});
