// The VNC benchmark's page (bundled for the browser by bench/lib/vnc-harness.mjs): one noVNC 1.7 viewer, connected
// either through Switchboard's relay (the window's own VncChannel over the browser mode's WebSocket carrier) or
// straight to websockify with a URL. Both paths run this same code in the same page; only the channel differs.
import RFB from '@novnc/novnc';
import { walkableEncodings } from '../../main/core/vnc/encodings';
import { VncChannel } from '../../renderer/src/api/vnc-channel';

const S = (window.__vnc = { bytes: 0, messages: 0, frames: 0, firstFrameAt: 0, lastFrameAt: 0, keydownAt: 0, encodings: [], told: [], lost: null, disconnected: null });

// Bytes delivered to noVNC: every binary frame on every WebSocket of the page (the relay's carrier, or noVNC's
// own socket to websockify). Registered by the constructor, before the channel's onmessage, on both paths.
// A plain WebSocket is returned (not a subclass): noVNC checks a channel's methods on its immediate prototype.
const NativeWebSocket = window.WebSocket;
function CountingWebSocket(url, protocols) {
  const ws = new NativeWebSocket(url, protocols);
  ws.addEventListener('message', (event) => { if (typeof event.data !== 'string') { S.bytes += event.data.byteLength; S.messages++; } });
  return ws;
}
CountingWebSocket.prototype = NativeWebSocket.prototype;
Object.assign(CountingWebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
window.WebSocket = CountingWebSocket;

// Frames: completed FramebufferUpdates (noVNC's _framebufferUpdate returns true once the last rectangle is in).
const framebufferUpdate = RFB.prototype._framebufferUpdate;
RFB.prototype._framebufferUpdate = function countedFramebufferUpdate() {
  const done = framebufferUpdate.call(this);
  if (done) {
    S.frames++;
    S.lastFrameAt = performance.now();
    if (!S.firstFrameAt) S.firstFrameAt = S.lastFrameAt;
  }
  return done;
};

// The same SetEncodings reaches Xvnc on both paths: what the relay would leave of noVNC's list (it drops Hextile,
// RRE, JPEG, H.264, TightPNG, ExtendedMouseButtons and, unless the clipboard flows both ways, the extended clipboard).
const clientEncodings = RFB.messages.clientEncodings;
RFB.messages.clientEncodings = (sock, encodings) => {
  S.encodings = walkableEncodings(encodings, { extendedClipboard: false });
  return clientEncodings(sock, S.encodings);
};

document.addEventListener('keydown', (event) => { S.keydownAt = event.timeStamp; }, true);

let rfb = null;

/** Connects; resolves once the first FramebufferUpdate is in. */
window.benchConnect = ({ kind, url, password, sessionId, quality, compression }) => new Promise((resolve, reject) => {
  const screen = document.getElementById('screen');
  screen.replaceChildren();
  Object.assign(S, { frames: 0, firstFrameAt: 0, lastFrameAt: 0, told: [], lost: null, disconnected: null });
  const channel = kind === 'switchboard'
    ? new VncChannel(sessionId, { message: (message) => S.told.push(message), lost: (reason) => { S.lost = reason; } })
    : url;
  rfb = new RFB(screen, channel, kind === 'switchboard' ? {} : { credentials: { password } });
  rfb.scaleViewport = false;
  rfb.resizeSession = false;
  rfb.qualityLevel = quality;
  rfb.compressionLevel = compression;
  const timer = setTimeout(() => reject(new Error(`no frame within 20 s (${kind}); lost: ${S.lost}; told: ${JSON.stringify(S.told)}`)), 20_000);
  rfb.addEventListener('disconnect', (event) => {
    S.disconnected = event.detail.clean ? 'clean' : 'unclean';
    clearTimeout(timer);
    reject(new Error(`disconnected (${S.disconnected}) before the first frame (${kind}); lost: ${S.lost}`));
  });
  const poll = () => (S.frames > 0 ? (clearTimeout(timer), resolve({ width: rfb._fbWidth, height: rfb._fbHeight, encodings: S.encodings })) : setTimeout(poll, 20));
  poll();
});

/** Disconnects; resolves once noVNC says it has. */
window.benchDisconnect = () => new Promise((resolve) => {
  if (!rfb || S.disconnected) return resolve();
  rfb.addEventListener('disconnect', () => resolve());
  rfb.disconnect();
  rfb = null;
});

window.benchFocus = () => rfb.focus();

/** The visible canvas's pixels in a rectangle, as 32-bit words. */
function pixels(box) {
  const canvas = document.querySelector('#screen canvas');
  const data = canvas.getContext('2d').getImageData(box.x, box.y, box.width, box.height).data;
  return new Uint32Array(data.buffer);
}

/**
 * Arms one input-to-pixel measurement: takes the rectangle's pixels now, then polls them once per animation
 * frame; resolves with ms from the keydown (its event timeStamp) to the first frame in which they differ.
 */
window.benchArmChange = (box, timeoutMs) => {
  const before = pixels(box);
  S.keydownAt = 0;
  window.__change = new Promise((resolve) => {
    const started = performance.now();
    const look = (now) => {
      if (S.keydownAt) {
        const after = pixels(box);
        for (let i = 0; i < after.length; i++) if (after[i] !== before[i]) return resolve(now - S.keydownAt);
      }
      if (performance.now() - started > timeoutMs) return resolve(null);
      requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
};
window.benchChange = () => window.__change;
