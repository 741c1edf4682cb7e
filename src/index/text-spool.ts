// A build from scratch writes each article's text to a spool file as the article
// is added, instead of holding every text until the save writes passages.bin:
// at 113k chunks about 55 MB of UTF-8 bytes, held from the scan to the end. The
// save reads them back one by one as it writes passages.bin. A store that will be
// searched then reads the whole spool back into one buffer and closes it; one that
// will not (`akhbar index`) leaves its texts in the file, read on demand, and the
// file is closed once nothing refers to them (reading it back made the build's
// peak). The file is unlinked as soon as it is opened: nothing is left behind,
// whatever happens to the process.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { StoredBytes } from './passages.js';
import { indexWriteError } from './write-error.js';

/** One article's text in a spool: read from the file until the spool is read back, then from memory. */
export class SpooledText implements StoredBytes {
  private view: Buffer | undefined;

  constructor(
    private readonly spool: TextSpool,
    readonly at: number,
    readonly length: number,
  ) {}

  bytes(from = 0, to = this.length): Buffer {
    return this.view ? this.view.subarray(from, to) : this.spool.read(this.at + from, to - from);
  }

  /** From now on the text is `view` (its bytes, read back). */
  settle(view: Buffer): void {
    this.view = view;
  }
}

/** Closes the file of a spool nothing refers to any more (one left open for its texts: see above). */
const unreferenced = new FinalizationRegistry<number>((fd) => closeSync(fd));

export class TextSpool {
  private size = 0;
  private readonly texts: SpooledText[] = [];

  private constructor(
    private readonly indexDir: string,
    private fd: number | undefined,
  ) {}

  /** A spool in the index folder (the texts go to the disk the index is written to). */
  static open(indexDir: string): TextSpool {
    const file = path.join(indexDir, `texts-${process.pid}-${Date.now()}.spool`);
    try {
      const fd = openSync(file, 'w+', 0o600);
      unlinkSync(file);
      const spool = new TextSpool(indexDir, fd);
      unreferenced.register(spool, fd, spool);
      return spool;
    } catch (error) {
      throw indexWriteError(indexDir, error);
    }
  }

  /** Writes `bytes` at the end of the spool. A failed write (full disk) fails the build before anything is saved. */
  add(bytes: Buffer): SpooledText {
    const fd = this.openFd();
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, this.size + done);
    } catch (error) {
      throw indexWriteError(this.indexDir, error);
    }
    const text = new SpooledText(this, this.size, bytes.length);
    this.size += bytes.length;
    this.texts.push(text);
    return text;
  }

  read(at: number, length: number): Buffer {
    const fd = this.openFd();
    const buffer = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const n = readSync(fd, buffer, done, length - done, at + done);
      if (n === 0) throw new Error('the text spool was cut short');
      done += n;
    }
    return buffer;
  }

  /** Every text read back into one buffer (each then reads from memory) and the spool closed. */
  settle(): void {
    if (this.fd === undefined) return;
    const all = this.size ? this.read(0, this.size) : Buffer.alloc(0);
    for (const text of this.texts) text.settle(all.subarray(text.at, text.at + text.length));
    this.close();
  }

  close(): void {
    if (this.fd === undefined) return;
    unreferenced.unregister(this);
    closeSync(this.fd);
    this.fd = undefined;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error('the text spool is closed');
    return this.fd;
  }
}
