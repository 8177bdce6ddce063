import type { Terminal } from '@xterm/xterm';
import { rendererForThisPage, type RendererChoice } from './renderer-choice';

/**
 * Puts a terminal on the renderer chosen for this page: the DOM renderer xterm.js starts with, or the
 * WebGL addon (loaded on demand, so windows without a real GPU never fetch it). A lost WebGL context
 * disposes the addon, which puts xterm.js back on its DOM renderer. The box says which one is in use
 * (`data-renderer`, `data-renderer-reason`), for people and tests.
 */
export function applyRenderer(term: Terminal, box: HTMLElement, choice: RendererChoice = rendererForThisPage()): () => void {
  let disposed = false;
  const show = (kind: 'webgl' | 'dom', reason: string) => {
    box.dataset.renderer = kind;
    box.dataset.rendererReason = reason;
  };
  show('dom', choice.reason);
  if (choice.kind === 'webgl') {
    void import('@xterm/addon-webgl').then(({ WebglAddon }) => {
      if (disposed) return;
      const addon = new WebglAddon();
      addon.onContextLoss(() => {
        addon.dispose();
        show('dom', 'the WebGL context was lost');
      });
      term.loadAddon(addon);
      show('webgl', choice.reason);
    }).catch((error: unknown) => {
      if (!disposed) show('dom', `the WebGL renderer failed to start: ${(error as Error).message}`);
    });
  }
  return () => { disposed = true; };
}
