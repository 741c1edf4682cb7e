// An exact scan of the vectors in a saved hnswlib index, straight from its file,
// without building the graph (hnswlib's readIndex allocates and links every
// element: most of a fresh `akhbar ask` on a small index). The layout is
// hnswlib's saveIndex (hnswalg.h, the version hnswlib-node 3.0.0 pins): a 96-byte
// header, then one fixed-size record per element: a u32 whose third byte holds
// the deleted mark, maxM0 u32 links, `dimension` float32s (unit length in a
// cosine space), a u64 label (our chunk id). The header is checked against the
// dimension and the file size: a file of another layout is refused, never misread.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { scanInto, TopK, unitQuery, type FlatHit } from './flat-vectors.js';

export class HnswFileError extends Error {}

const HEADER_BYTES = 96;
const DELETE_MARK = 0x01;
/**
 * Bytes of records per read, into one buffer reused for every read: fresh memory costs a page fault
 * per 4 KB, which here outweighed the copy (a 16 MB file streamed through 256 KB: 6–15 ms; read
 * whole: 90 ms, and as much again to first touch its pages).
 */
const READ_BYTES = 1 << 18;

interface Layout {
  count: number;
  recordBytes: number;
  labelOffset: number;
  dataOffset: number;
}

function readLayout(fd: number, dimension: number): Layout {
  const head = Buffer.alloc(HEADER_BYTES);
  if (readSync(fd, head, 0, HEADER_BYTES, 0) < HEADER_BYTES) throw new HnswFileError('vector file is too short');
  const size = (at: number) => Number(head.readBigUInt64LE(at));
  const [level0Offset, , count, recordBytes, labelOffset, dataOffset] = [0, 8, 16, 24, 32, 40].map(size) as [number, number, number, number, number, number];
  const maxM0 = size(64);
  const consistent =
    level0Offset === 0 &&
    dataOffset === 4 + 4 * maxM0 &&
    labelOffset === dataOffset + 4 * dimension &&
    recordBytes === labelOffset + 8 &&
    HEADER_BYTES + count * recordBytes <= fstatSync(fd).size;
  if (!consistent) throw new HnswFileError(`vector file layout is not hnswlib's for ${dimension} dimensions`);
  return { count, recordBytes, labelOffset, dataOffset };
}

/** Reads exactly `buffer.length` bytes at `position`. */
function readFully(fd: number, buffer: Buffer, position: number): void {
  for (let done = 0; done < buffer.length; ) {
    const n = readSync(fd, buffer, done, buffer.length - done, position + done);
    if (n === 0) throw new HnswFileError('vector file is cut short');
    done += n;
  }
}

export class HnswFileScan {
  /** Records per read, and the buffer they are read into (kept: one allocation per scanner). */
  private readonly perRead: number;
  private readonly buffer: Buffer;

  private constructor(
    private readonly file: string,
    readonly dimension: number,
    private readonly layout: Layout,
  ) {
    this.perRead = Math.max(1, Math.floor(READ_BYTES / layout.recordBytes));
    this.buffer = Buffer.allocUnsafeSlow(this.perRead * layout.recordBytes);
  }

  /** Checks the file's layout; throws HnswFileError for one this reader does not know. */
  static open(file: string, dimension: number): HnswFileScan {
    const fd = openSync(file, 'r');
    try {
      return new HnswFileScan(file, dimension, readLayout(fd, dimension));
    } finally {
      closeSync(fd);
    }
  }

  /** The `k` best vectors for `query`, not marked deleted and whose id `accept`s, best first: the file is read once through. */
  search(query: ArrayLike<number>, k: number, accept: (chunkId: number) => boolean): FlatHit[] {
    const { count, recordBytes, labelOffset, dataOffset } = this.layout;
    const q = unitQuery(query, this.dimension);
    const top = new TopK(k);
    const { perRead, buffer } = this;
    // Records are multiples of 4 bytes and the buffer starts aligned: u32 and float32 views read them in place.
    const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 2);
    const floats = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.length >>> 2);
    const [recordWords, labelWord, dataWord] = [recordBytes >>> 2, labelOffset >>> 2, dataOffset >>> 2];
    const ids = new Uint32Array(perRead);
    const starts = new Uint32Array(perRead);
    const fd = openSync(this.file, 'r');
    try {
      for (let first = 0; first < count; first += perRead) {
        const n = Math.min(perRead, count - first);
        readFully(fd, buffer.subarray(0, n * recordBytes), HEADER_BYTES + first * recordBytes);
        let live = 0;
        for (let i = 0, record = 0; i < n; i++, record += recordWords) {
          // The deleted mark is the third byte of the record's first u32 (little-endian).
          if ((words[record]! >>> 16) & DELETE_MARK) continue;
          ids[live] = words[record + labelWord]!;
          starts[live] = record + dataWord;
          live++;
        }
        scanInto(top, q, floats, ids.subarray(0, live), starts.subarray(0, live), accept);
      }
    } finally {
      closeSync(fd);
    }
    return top.sorted();
  }
}
