/**
 * Which xterm.js renderer a terminal uses. The WebGL renderer paints a frame in about a millisecond on a
 * real GPU, but through a software rasteriser (SwiftShader, llvmpipe: headless Chromium, a VM without a
 * GPU, a blocklisted driver) it was measured 5× slower than the DOM renderer (6.9 vs 34.8 MB/s). So WebGL
 * only where the GPU is real, the DOM renderer everywhere else — and after a lost WebGL context.
 */

export type RendererKind = 'webgl' | 'dom';
export interface RendererChoice { kind: RendererKind; reason: string }

/** What probing WebGL2 found: whether a context was given with `failIfMajorPerformanceCaveat`, and the unmasked renderer name. */
export interface WebglProbe { context: boolean; renderer: string | null }

/** Renderer names of software rasterisers (WEBGL_debug_renderer_info's UNMASKED_RENDERER_WEBGL). */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|lavapipe|software|microsoft basic render/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

export function chooseRenderer(probe: WebglProbe): RendererChoice {
  if (!probe.context) return { kind: 'dom', reason: 'no hardware-accelerated WebGL2 (refused with failIfMajorPerformanceCaveat)' };
  if (probe.renderer && isSoftwareRenderer(probe.renderer)) return { kind: 'dom', reason: `software WebGL (${probe.renderer})` };
  return { kind: 'webgl', reason: probe.renderer ? `GPU: ${probe.renderer}` : 'hardware WebGL2 (renderer name hidden)' };
}

/** Asks the browser for a WebGL2 context that is not software-rendered, and its real renderer name; frees it again. */
export function probeWebgl(doc: Document = document): WebglProbe {
  let gl: WebGL2RenderingContext | null = null;
  try {
    gl = doc.createElement('canvas').getContext('webgl2', { failIfMajorPerformanceCaveat: true });
  } catch {
    gl = null;
  }
  if (!gl) return { context: false, renderer: null };
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : null;
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { context: true, renderer };
}

let probed: RendererChoice | null = null;

/** The choice for this page (probed once: the GPU does not change under a running window). */
export function rendererForThisPage(): RendererChoice {
  probed ??= chooseRenderer(probeWebgl());
  return probed;
}
