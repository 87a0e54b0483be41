/**
 * Findings out of the heap. A large scan makes hundreds of thousands of findings; held as objects
 * until the end they were most of a 50,000-file scan's memory. Two spools keep them in a private
 * temporary file instead, once there are more than a scan's worth of small ones:
 *
 * - `FileSpool`, while the scan runs: findings by file (batches, cross-file rules and engine
 *   findings arrive in any file order), each with its arrival number, so the steps after the
 *   check can take one file's findings at a time, in the order a single list would have held them.
 * - `Spool`, the scan's result: the judged findings in their final order, read by every sink as
 *   often as it needs (an array is the same to them, see `FindingList`).
 *
 * Below `spillAt` findings in memory neither touches the disk. The file is made in a new private
 * directory (mode 0700, the file 0600) and unlinked as soon as it is open where the system allows
 * it (then nothing is left behind even by a crash); else it is removed by `dispose()` or at exit.
 * Findings hold no secret value (rules pass secrets apart, messages are masked where made), but a
 * message may still hold a value another file revealed as a secret: sinks redact at output, and
 * the spool is never output.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { PIECE } from '../findings.js';
import type { FindingList } from '../findings.js';
import type { Finding } from '../types.js';

/**
 * Findings in memory above which a spool moves them to its file. Low: each one held until the end
 * of a batch of files is promoted to V8's old generation, whose heap then grows by a multiple of
 * what it holds (measured on the 50,000-file bench corpus: peak RSS 369 MB at 2,000, 433 MB at
 * 10,000, 492 MB at 50,000 on one thread); the cost of the file is per finding, not per spill.
 */
export const SPILL_AT = 2000;

/** A finding with its arrival number (the order one list of every finding would have had). */
export type Numbered = [seq: number, finding: Finding];

/** A private temporary file, written at its end and read at any offset. */
class TempFile {
  private fd: number | undefined;
  private dir: string | undefined;
  private path: string | undefined;
  /** Bytes written so far: the next write's offset. */
  size = 0;
  private readonly onExit = (): void => this.dispose();

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    this.dir = mkdtempSync(join(tmpdir(), 'podguard-spool-'));
    this.path = join(this.dir, 'findings');
    this.fd = openSync(this.path, 'wx+', 0o600);
    try {
      // Where an open file can be unlinked (not on Windows) nothing is left even after a crash.
      unlinkSync(this.path);
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
      this.path = undefined;
    } catch {
      process.once('exit', this.onExit);
    }
    return this.fd;
  }

  /** Appends `text`; returns its offset and length in bytes. */
  append(text: string): { offset: number; bytes: number } {
    const fd = this.open();
    const data = Buffer.from(text, 'utf8');
    const offset = this.size;
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, offset + done);
    this.size += data.length;
    return { offset, bytes: data.length };
  }

  /** Reads `bytes` at `offset` into `into` (grown when too small); returns the buffer read into. */
  read(offset: number, bytes: number, into: Buffer): Buffer {
    const buf = into.length >= bytes ? into : Buffer.allocUnsafe(Math.max(bytes, into.length * 2));
    let done = 0;
    while (done < bytes) {
      const n = readSync(this.fd!, buf, done, bytes - done, offset + done);
      if (n === 0) throw new Error('the findings spool ended early');
      done += n;
    }
    return buf;
  }

  dispose(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    process.removeListener('exit', this.onExit);
  }
}

/** One JSON line per item. */
function lines(items: readonly unknown[]): string {
  let text = '';
  for (const x of items) text += `${JSON.stringify(x)}\n`;
  return text;
}

/**
 * Where each file's findings sit in the spool file: per chunk an offset and a length, chained
 * back to the file's chunk before. Typed arrays and one map entry per file, not an object and an
 * array per file (tens of thousands of them in a large scan, alive until its end).
 */
class ChunkIndex {
  private offsets = new Float64Array(1024);
  private sizes = new Uint32Array(1024);
  private previous = new Int32Array(1024);
  private count = 0;
  /** Each file's last chunk. */
  private readonly last = new Map<string, number>();

  add(file: string, offset: number, bytes: number): void {
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.offsets[i] = offset;
    this.sizes[i] = bytes;
    this.previous[i] = this.last.get(file) ?? -1;
    this.last.set(file, i);
  }

  files(): IterableIterator<string> {
    return this.last.keys();
  }

  /** Takes out a file's chunks, first to last. */
  take(file: string): { offset: number; bytes: number }[] {
    const out: { offset: number; bytes: number }[] = [];
    for (let i = this.last.get(file) ?? -1; i >= 0; i = this.previous[i]!) out.push({ offset: this.offsets[i]!, bytes: this.sizes[i]! });
    this.last.delete(file);
    return out.reverse();
  }

  clear(): void {
    this.last.clear();
    this.count = 0;
  }

  private grow(): void {
    const n = this.offsets.length * 2;
    const offsets = new Float64Array(n);
    offsets.set(this.offsets);
    const sizes = new Uint32Array(n);
    sizes.set(this.sizes);
    const previous = new Int32Array(n);
    previous.set(this.previous);
    [this.offsets, this.sizes, this.previous] = [offsets, sizes, previous];
  }
}

/**
 * The scan's findings by file while it runs. `keep(file)`: findings of that file never leave
 * memory (rendered streams, which move to their templates before judging).
 */
export class FileSpool {
  private readonly file = new TempFile();
  private readonly memory = new Map<string, Numbered[]>();
  private readonly onDisk = new ChunkIndex();
  private inMemory = 0;
  private seq = 0;
  private buffer: Buffer = Buffer.allocUnsafe(1 << 16);

  constructor(
    private readonly keep: (file: string) => boolean = () => false,
    private readonly spillAt = SPILL_AT,
  ) {
    if (!(spillAt >= 1)) throw new Error('spillAt must be at least 1');
  }

  /** Adds a finding after every one added before. */
  add(f: Finding): void {
    this.put(this.seq++, f);
  }

  /** Adds a finding under its arrival number (one taken out and moved). */
  put(seq: number, f: Finding): void {
    const list = this.memory.get(f.file);
    if (list) list.push([seq, f]);
    else this.memory.set(f.file, [[seq, f]]);
    if (++this.inMemory >= this.spillAt) this.spill();
  }

  /** Moves the findings in memory (but the kept files') to the file, grouped by file. */
  private spill(): void {
    for (const [file, list] of this.memory) {
      if (this.keep(file)) continue;
      const { offset, bytes } = this.file.append(lines(list));
      this.onDisk.add(file, offset, bytes);
      this.memory.delete(file);
      this.inMemory -= list.length;
    }
  }

  /** Every file with findings. */
  files(): string[] {
    return [...new Set([...this.onDisk.files(), ...this.memory.keys()])];
  }

  /** Takes out one file's findings, in arrival order. */
  take(file: string): Numbered[] {
    const out: Numbered[] = [];
    for (const { offset, bytes } of this.onDisk.take(file)) {
      this.buffer = this.file.read(offset, bytes, this.buffer);
      const text = this.buffer.toString('utf8', 0, bytes);
      for (let at = 0; at < text.length;) {
        const end = text.indexOf('\n', at);
        out.push(JSON.parse(text.slice(at, end)) as Numbered);
        at = end + 1;
      }
    }
    const held = this.memory.get(file);
    if (held) {
      for (const x of held) out.push(x);
      this.memory.delete(file);
      this.inMemory -= held.length;
    }
    return out;
  }

  /** Takes out the findings of every kept file, in arrival order. */
  takeKept(): Numbered[] {
    const out: Numbered[] = [];
    for (const file of [...this.memory.keys()]) if (this.keep(file)) for (const x of this.take(file)) out.push(x);
    return out.sort((a, b) => a[0] - b[0]);
  }

  dispose(): void {
    this.file.dispose();
    this.memory.clear();
    this.onDisk.clear();
  }
}

/**
 * The judged findings of a scan, in order: a `FindingList` that sinks read as often as they need.
 * Each reading decodes the file again, one block at a time.
 */
export class Spool implements FindingList {
  private readonly file = new TempFile();
  /** The findings while there are fewer than `spillAt` (none once the spool has spilled). */
  private memory: Finding[] = [];
  /** Once spilled: the lines not yet written, at most about `PIECE` characters. */
  private pending = '';
  private spilled = false;
  private disposed = false;
  length = 0;

  constructor(private readonly spillAt = SPILL_AT) {
    if (!(spillAt >= 1)) throw new Error('spillAt must be at least 1');
  }

  push(f: Finding): void {
    this.length++;
    if (!this.spilled) {
      this.memory.push(f);
      if (this.memory.length < this.spillAt) return;
      this.spilled = true;
      for (const held of this.memory) this.write(held);
      this.memory = [];
      return;
    }
    this.write(f);
  }

  /** Appends one finding's line; writes a piece once it holds about `PIECE` characters. */
  private write(f: Finding): void {
    this.pending += `${JSON.stringify(f)}\n`;
    if (this.pending.length >= PIECE) {
      this.file.append(this.pending);
      this.pending = '';
    }
  }

  *[Symbol.iterator](): Iterator<Finding> {
    if (this.disposed) throw new Error('the findings spool was read after the scan was disposed');
    const size = this.file.size;
    // Blocks small enough that their text dies young (see PIECE); a character cut by a block's
    // end is kept by the decoder for the next one.
    const buf = Buffer.allocUnsafe(Math.min(size, PIECE));
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (let at = 0; at < size;) {
      const bytes = Math.min(buf.length, size - at);
      this.file.read(at, bytes, buf);
      at += bytes;
      const text = rest + decoder.write(buf.subarray(0, bytes));
      let i = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', i)) {
        yield JSON.parse(text.slice(i, end)) as Finding;
        i = end + 1;
      }
      rest = text.slice(i);
    }
    for (const line of this.pending.split('\n')) if (line) yield JSON.parse(line) as Finding;
    yield* this.memory;
  }

  /** Removes the file; the spool cannot be read afterwards. */
  dispose(): void {
    this.disposed = true;
    this.file.dispose();
    this.memory = [];
  }
}
