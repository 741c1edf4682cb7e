// A generation's large files written piece by piece: the postings and passages of a
// large index were each encoded into one buffer (or string) as large as the file before
// being written, and those copies, on top of the live index, made the peak of a build's
// memory (at 100k chunks about 150 MB more than the build held while inserting). Each
// encoder now yields pieces (views of the arrays it already holds, texts, small JSON
// strings) that go to disk through one reused buffer, with the same bytes as before.
import { open } from 'node:fs/promises';

/**
 * zlib's CRC-32, its module fetched at first use: loading zlib (and the streams it
 * brings) costs a few milliseconds of every fresh process, and only writes and
 * full checks compute checksums.
 */
export const crc32 = (data: Uint8Array, value?: number): number => process.getBuiltinModule('node:zlib').crc32(data, value);

/** A piece of a file: bytes, or text written as UTF-8. */
export type Piece = Uint8Array | string;

/**
 * Bytes gathered before a write: large enough that writes stay few (about 45 for a 45 MB
 * passages file), small beside what the index holds.
 */
const WRITE_BYTES = 1 << 20;

/** Writes the pieces to `file` (created or truncated) in order; returns its size and CRC-32. */
export async function writePieces(file: string, pieces: Iterable<Piece>): Promise<{ bytes: number; crc32: number }> {
  const handle = await open(file, 'w');
  try {
    const buffer = Buffer.allocUnsafeSlow(WRITE_BYTES);
    let used = 0;
    let bytes = 0;
    let sum = 0;
    const write = async (data: Uint8Array) => {
      for (let at = 0; at < data.length; ) {
        const { bytesWritten } = await handle.write(data, at, data.length - at);
        at += bytesWritten;
      }
      sum = crc32(data, sum);
      bytes += data.length;
    };
    const flush = async () => {
      if (used > 0) await write(buffer.subarray(0, used));
      used = 0;
    };
    for (const piece of pieces) {
      const size = typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
      if (used + size > buffer.length) await flush();
      if (size > buffer.length) await write(typeof piece === 'string' ? Buffer.from(piece) : piece);
      else if (typeof piece === 'string') used += buffer.write(piece, used);
      else {
        buffer.set(piece, used);
        used += size;
      }
    }
    await flush();
    return { bytes, crc32: sum };
  } finally {
    await handle.close();
  }
}

/** The pieces as one buffer (what the encoders returned before; small files and tests). */
export function joinPieces(pieces: Iterable<Piece>): Buffer {
  return Buffer.concat([...pieces].map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/** The bytes of a typed array, in place. */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
