import type { Duplex } from 'node:stream';
import { ApiError } from '../../../contract/errors';
import { ByteReader, ClosedDuring } from './byte-reader';
import { SECURITY } from './rfb-handshake';

/**
 * The relay's face toward the viewer (noVNC in the window): an RFB 3.8 server that offers only "no
 * authentication" — the core has already signed in to the real server with the keychain's password,
 * so no secret ever reaches the window — then hands on the real server's ServerInit. Returns the bytes
 * the viewer sent after its ClientInit (its first requests), for the relay to pass on.
 */
export async function greetViewer(viewer: Duplex, serverInit: Buffer): Promise<Buffer> {
  const reader = new ByteReader(viewer);
  try {
    viewer.write('RFB 003.008\n');
    const version = (await reader.read(12, 'the viewer\'s RFB version')).toString('latin1');
    if (!/^RFB 003\.00[3-8]\n$/.test(version)) throw new ApiError('VNC_HANDSHAKE_FAILED', `The viewer answered ${JSON.stringify(version)}, not an RFB 3.x version.`);
    if (version === 'RFB 003.003\n') {
      const type = Buffer.alloc(4);
      type.writeUInt32BE(SECURITY.none);
      viewer.write(type);
    } else {
      viewer.write(Buffer.from([1, SECURITY.none]));
      const chosen = (await reader.read(1, 'the viewer\'s security choice'))[0];
      if (chosen !== SECURITY.none) throw new ApiError('VNC_HANDSHAKE_FAILED', `The viewer chose security type ${chosen}; the relay offers only None.`);
      if (version === 'RFB 003.008\n') viewer.write(Buffer.alloc(4)); // SecurityResult: OK
    }
    await reader.read(1, 'the viewer\'s ClientInit');
    viewer.write(serverInit);
    return reader.detach();
  } catch (error) {
    reader.detach();
    if (error instanceof ClosedDuring) throw new ApiError('VNC_HANDSHAKE_FAILED', `The viewer went away during the VNC handshake, while the relay waited for ${error.what}.`);
    throw error;
  }
}
