import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const FILTER_NONE = 0;
const FILTER_SUB = 1;

/**
 * An 8-bit RGBA PNG (colour type 6, not interlaced). Each row is stored unfiltered or with the Sub
 * filter, whichever has the smaller sum of absolute byte values (libpng's heuristic): flat areas of a
 * screen become runs of zeros that deflate well.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) throw new RangeError(`a PNG must be at least 1x1 pixels, not ${width}x${height}`);
  const stride = width * 4;
  if (rgba.length !== stride * height) throw new RangeError(`${width}x${height} RGBA pixels are ${stride * height} bytes, not ${rgba.length}`);

  const filtered = Buffer.allocUnsafe((stride + 1) * height);
  const sub = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    let plainCost = 0;
    let subCost = 0;
    for (let i = 0; i < stride; i++) {
      const value = row[i]!;
      const difference = (value - (i >= 4 ? row[i - 4]! : 0)) & 0xff;
      sub[i] = difference;
      plainCost += value < 128 ? value : 256 - value;
      subCost += difference < 128 ? difference : 256 - difference;
    }
    const at = y * (stride + 1);
    if (subCost < plainCost) {
      filtered[at] = FILTER_SUB;
      filtered.set(sub, at + 1);
    } else {
      filtered[at] = FILTER_NONE;
      filtered.set(row, at + 1);
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per sample
  header[9] = 6; // RGBA
  return Buffer.concat([SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(filtered)), chunk('IEND', Buffer.alloc(0))]);
}

/** length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
