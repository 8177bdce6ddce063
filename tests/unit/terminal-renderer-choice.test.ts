import { describe, expect, it } from 'vitest';
import { chooseRenderer, isSoftwareRenderer, type WebglProbe } from '../../renderer/src/features/terminals/renderer-choice';

describe('terminal renderer choice', () => {
  it.each<{ name: string; probe: WebglProbe; kind: 'webgl' | 'dom'; reason: RegExp }>([
    { name: 'headless Chromium (SwiftShader via ANGLE)', probe: { context: true, renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)' }, kind: 'dom', reason: /software WebGL \(ANGLE \(Google, Vulkan .*SwiftShader/ },
    { name: 'plain SwiftShader', probe: { context: true, renderer: 'Google SwiftShader' }, kind: 'dom', reason: /software/ },
    { name: 'Mesa llvmpipe (a VM without a GPU)', probe: { context: true, renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, kind: 'dom', reason: /llvmpipe/ },
    { name: 'Mesa softpipe', probe: { context: true, renderer: 'softpipe' }, kind: 'dom', reason: /softpipe/ },
    { name: 'Vulkan lavapipe', probe: { context: true, renderer: 'ANGLE (Mesa, llvmpipe/lavapipe, Vulkan)' }, kind: 'dom', reason: /software/ },
    { name: 'Windows without a driver', probe: { context: true, renderer: 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)' }, kind: 'dom', reason: /Basic Render/ },
    { name: 'anything that says Software', probe: { context: true, renderer: 'Software Rasterizer' }, kind: 'dom', reason: /Software Rasterizer/ },
    { name: 'no context with failIfMajorPerformanceCaveat (--disable-gpu)', probe: { context: false, renderer: null }, kind: 'dom', reason: /failIfMajorPerformanceCaveat/ },
    { name: 'Intel GPU', probe: { context: true, renderer: 'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)' }, kind: 'webgl', reason: /GPU: ANGLE \(Intel/ },
    { name: 'NVIDIA GPU', probe: { context: true, renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)' }, kind: 'webgl', reason: /NVIDIA/ },
    { name: 'Apple GPU', probe: { context: true, renderer: 'ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)' }, kind: 'webgl', reason: /Apple M2/ },
    { name: 'hardware context, name hidden (no debug extension)', probe: { context: true, renderer: null }, kind: 'webgl', reason: /hidden/ },
  ])('$name → $kind', ({ probe, kind, reason }) => {
    const choice = chooseRenderer(probe);
    expect(choice.kind).toBe(kind);
    expect(choice.reason).toMatch(reason);
  });

  it.each([
    ['SwiftShader', true], ['swiftshader', true], ['LLVMPIPE', true], ['Software', true],
    ['AMD Radeon Pro 5500M', false], ['Mali-G78', false], ['Adreno (TM) 650', false], ['', false],
  ] as const)('isSoftwareRenderer(%j) is %s', (name, software) => {
    expect(isSoftwareRenderer(name)).toBe(software);
  });
});
