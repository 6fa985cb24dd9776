// Compact, exactly lossless storage of a closed stretch of one point's raw samples (typically an
// hour, 1 to 100,000 samples) in one SQLite BLOB, in the spirit of Gorilla and InfluxDB's TSM:
// columns that turn each sample into a few small, repetitive bytes, then an entropy coder
// (zstd, raw deflate or a small adaptive range coder, whichever packs a section smallest).
//
// Block, version 1 (numbers little-endian; uvarint LEB128, svarint zigzag LEB128):
//   version u8 · count uvarint
//   time mode u8 · first ts uvarint (if count > 0) · grid quantum uvarint (grid mode only)
//   value mode u8 · scale f64, offset f64 (scaled) | decimals u8 (decimal) | nothing (floats)
//   sections uvarint · per section: raw length uvarint, codec u8 (0 stored, 1 zstd frame,
//     2 raw deflate, 3 range-coded), packed length uvarint (unless stored) · the sections' bytes ·
//   CRC-32 u32 of every byte before it
// The sections, unpacked and joined, hold the streams, one column after another:
//   times      for each sample after the first, by time mode
//                0 delta-of-delta: svarint (delta − previous delta; the first previous delta is 0)
//                1 grid: all the uvarint k, then all the svarint r: the poller's fixed-phase grid
//                  advances k quanta from one sample to the next, r is the sample's offset from it
//   qualities  runs uvarint, then per run: quality u8, length uvarint
//   gaps       runs uvarint, then per run of NaN values: samples since the previous run uvarint,
//              length uvarint (gaps carry no value, so the value column skips them)
//   values     for each value present, by value mode
//                0 scaled (register scaling hint): integers n, value = n * scale + offset
//                1 decimal: integers n, value = n / 10^decimals
//                  (both as svarint deltas; a zero delta is followed by a uvarint count of repeats)
//                2 float32: bit patterns XORed with the previous one, as 4 byte planes, high first
//                3 float64: the same with 8 byte planes
// The encoder picks each column's cheapest mode and each section's smallest codec; the decoder
// follows what the block records, so later encoders can choose differently without a new version.
import zlib from 'node:zlib';

/**
 * Samples of one point in time order: ts strictly increasing integer ms (0..2^53), value NaN = no value
 * (a gap, bad quality), quality code 0 good, 1 stale, 2 bad.
 */
export interface BlockSamples {
  ts: Float64Array;
  values: Float64Array;
  qualities: Uint8Array;
}

/**
 * Optional hint: the point's register scaling (value = raw * scale + offset as computed in JS), so scaled
 * integer registers can be stored as integers.
 */
export interface ValueHint {
  scale: number;
  offset: number;
}

const VERSION = 1;
/** Refuses counts beyond this, so a damaged count cannot ask for gigabytes. */
const MAX_SAMPLES = 10_000_000;
/** No sample takes more stream bytes than this (grid time 16, quality run 9, gap run 16, value 9). */
const MAX_STREAM_BYTES_PER_SAMPLE = 50;
const MAX_SECTIONS = 16;
/** Integers are kept below this so that their deltas are exact doubles too. */
const INT_LIMIT = 2 ** 52;
const MAX_DECIMALS = 6;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

const TIME_DOD = 0;
const TIME_GRID = 1;
const VALUE_SCALED = 0;
const VALUE_DECIMAL = 1;
const VALUE_FLOAT32 = 2;
const VALUE_FLOAT64 = 3;
const CODEC_STORED = 0;
const CODEC_ZSTD = 1;
const CODEC_DEFLATE = 2;
const CODEC_RANGE = 3;

/**
 * zstd level 5 for big one-section bodies: measured on an hour of typical signals it packs 2 to 7
 * per cent smaller than level 3 for half again the time, while level 7 gains under 1 per cent for
 * up to twice the time. Unpacking speed does not depend on the level.
 */
const ZSTD_OPTIONS: zlib.ZstdOptions = {
  params: {
    [zlib.constants.ZSTD_c_compressionLevel]: 5,
    // The block records every section's length and carries its own CRC.
    [zlib.constants.ZSTD_c_contentSizeFlag]: 0,
    [zlib.constants.ZSTD_c_checksumFlag]: 0,
  },
};
/**
 * Raw deflate for single streams and small bodies: deflate's header is a few bits where a zstd frame
 * costs about 9 bytes, and its call to unpack ~10 µs where zstd's is ~50. Run-length matching only:
 * a stream is noise in a narrow range plus runs, where that does 5 to 10 per cent better than the
 * default strategy, at several times its speed.
 */
const DEFLATE_OPTIONS: zlib.ZlibOptions = { level: 6, strategy: zlib.constants.Z_RLE };
/** Below this a section is stored: no codec wins on so few bytes. */
const MIN_PACK_BYTES = 8;
/**
 * Sections up to this size also try the adaptive range coder. It has no tables to send, so it wins
 * on small blocks (a fifth smaller than deflate on an hour of a state signal), but it decodes a bit
 * at a time (~20 ns a byte), too slow for big sections at 10 million samples/s.
 */
const MAX_RANGE_BYTES = 2048;
/** Stream pieces smaller than this join the next one rather than pay for a section of their own. */
const MIN_SECTION_BYTES = 64;
/** Blocks with fewer samples, or that pack to fewer bytes as one section, do not try the split layout. */
const MIN_SPLIT_SAMPLES = 256;
const MIN_SPLIT_BYTES = 512;

// ---------------------------------------------------------------------------------------------
// Writing

/** A growable byte buffer. Callers reserve room once per loop, so the loops themselves need no checks. */
class ByteWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }

  byte(b: number): void {
    this.buf[this.pos++] = b;
  }

  /** LEB128 of an integer in 0..2^53 − 1 (at most 8 bytes); bit operations once it fits 31 bits. */
  unsigned(x: number): void {
    const buf = this.buf;
    let pos = this.pos;
    while (x > 0x7fffffff) {
      buf[pos++] = (x % 128) | 128;
      x = Math.floor(x / 128);
    }
    while (x > 127) {
      buf[pos++] = (x & 127) | 128;
      x >>>= 7;
    }
    buf[pos++] = x;
    this.pos = pos;
  }

  /**
   * Zigzag LEB128 of an integer in −2^53..2^53 − 1. The zigzag value itself may pass 2^53, where
   * doubles lose odd numbers, so beyond 30 bits the first byte takes the sign and 6 bits and the
   * rest goes out unsigned: the same bytes as a 64-bit zigzag varint, without BigInt.
   */
  signed(n: number): void {
    if (n >= -0x40000000 && n < 0x40000000) {
      this.unsigned((n << 1) ^ (n >> 31));
      return;
    }
    const negative = n < 0;
    const q = negative ? -n - 1 : n;
    this.buf[this.pos++] = ((q % 64) * 2 + (negative ? 1 : 0)) | 128;
    this.unsigned(Math.floor(q / 64));
  }

  f64(v: number): void {
    SCRATCH_VIEW.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.buf[this.pos++] = SCRATCH_BYTES[i]!;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

const SCRATCH_BYTES = new Uint8Array(8);
const SCRATCH_VIEW = new DataView(SCRATCH_BYTES.buffer);
/** Encoding is synchronous, so one scratch buffer for the streams serves every block. */
const streams = new ByteWriter(1 << 16);

/** Encodes one point's samples as a block (format above); `hint` lets scaled registers be stored as integers. */
export function encodeBlock(samples: BlockSamples, hint?: ValueHint): Uint8Array {
  const { ts, values, qualities } = samples;
  const count = ts.length;
  if (values.length !== count || qualities.length !== count) {
    throw new RangeError(`Block columns differ in length: ${count} times, ${values.length} values, ${qualities.length} qualities.`);
  }
  if (count > MAX_SAMPLES) throw new RangeError(`A block holds at most ${MAX_SAMPLES} samples, not ${count}.`);
  const shortest = checkTimes(ts);

  const head = new ByteWriter(64);
  head.byte(VERSION);
  head.unsigned(count);
  const w = streams;
  w.pos = 0;
  // Where one stream ends and the next begins: the places a section may be cut.
  const cuts: number[] = [];
  writeTimes(head, w, ts, shortest, cuts);
  cuts.push(w.pos);
  writeQualities(w, qualities);
  const present = writeGaps(w, values);
  cuts.push(w.pos);
  writeValues(head, w, present, hint, cuts);
  const body = w.buf.subarray(0, w.pos);

  // Two layouts, both measured. One section: repeats anywhere in the streams can match (values
  // that come back again and again, as computed floats that are really decimals do). A section per
  // stream (ms jitter, poll counts, each mantissa byte plane): each gets a code fitted to itself,
  // a tenth smaller on most big blocks. Small ones skip it: it would gain a few bytes at most.
  let sections = [pack(body, true)];
  if (count >= MIN_SPLIT_SAMPLES && sections[0]!.bytes.length > MIN_SPLIT_BYTES) {
    const bounds = sectionBounds(cuts, body.length);
    const split: Section[] = [];
    for (let i = 1; i < bounds.length; i++) split.push(pack(body.subarray(bounds[i - 1]!, bounds[i]!), false));
    if (packedSize(split) < packedSize(sections)) sections = split;
  }

  head.reserve(16 + sections.length * 12);
  head.unsigned(sections.length);
  for (const section of sections) {
    head.unsigned(section.rawLength);
    head.byte(section.codec);
    if (section.codec !== CODEC_STORED) head.unsigned(section.bytes.length);
  }
  for (const section of sections) head.bytes(section.bytes);
  head.reserve(4);
  const block = head.buf.slice(0, head.pos + 4);
  new DataView(block.buffer).setUint32(head.pos, zlib.crc32(block.subarray(0, head.pos)), true);
  return block;
}

/** Refuses times the format cannot hold; returns the shortest delta (Infinity for fewer than 2 samples). */
function checkTimes(ts: Float64Array): number {
  let previous = -1;
  let shortest = Infinity;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    // Also refuses NaN, for which every comparison is false.
    if (!(t > previous && t <= Number.MAX_SAFE_INTEGER && Number.isInteger(t))) {
      throw new RangeError(`Sample times must be strictly increasing integers in 0..2^53 − 1; sample ${i} is at ${t} after ${previous}.`);
    }
    if (i > 0 && t - previous < shortest) shortest = t - previous;
    previous = t;
  }
  return shortest;
}

function writeTimes(head: ByteWriter, w: ByteWriter, ts: Float64Array, shortest: number, cuts: number[]): void {
  const count = ts.length;
  const quantum = count > 2 ? gridQuantum(ts, shortest) : 0;
  head.byte(quantum > 0 ? TIME_GRID : TIME_DOD);
  if (count === 0) return;
  head.unsigned(ts[0]!);
  w.reserve(count * 16);
  // The loops below write one-byte varints in place and leave longer ones to the writer.
  const buf = w.buf;
  let pos = w.pos;
  if (quantum === 0) {
    let previousDelta = 0;
    for (let i = 1; i < count; i++) {
      const delta = ts[i]! - ts[i - 1]!;
      const dod = delta - previousDelta;
      previousDelta = delta;
      if (dod > -64 && dod < 64) {
        buf[pos++] = dod >= 0 ? dod * 2 : -dod * 2 - 1;
      } else {
        w.pos = pos;
        w.signed(dod);
        pos = w.pos;
      }
    }
    w.pos = pos;
    return;
  }
  head.unsigned(quantum);
  // k itself rather than its change: a signal kept by a 60 s heartbeat gives k of 60 or 61 again
  // and again, one that changes every poll k of 1, and each change is then one odd k, not two.
  // r is measured from the grid, not from the previous sample: the poller keeps a fixed phase,
  // so r is one sample's jitter rather than the difference of two.
  const offsets = scratchOffsets(count);
  let grid = ts[0]!;
  for (let i = 1; i < count; i++) {
    // `+ 0` turns −0 (a sample just before the next grid line) into 0.
    const k = Math.round((ts[i]! - grid) / quantum) + 0;
    grid += k * quantum;
    // Within half a quantum of the grid: it fits an Int32Array.
    offsets[i] = ts[i]! - grid;
    if (k < 128) {
      buf[pos++] = k;
    } else {
      w.pos = pos;
      w.unsigned(k);
      pos = w.pos;
    }
  }
  cuts.push(pos);
  for (let i = 1; i < count; i++) {
    const r = offsets[i]!;
    if (r > -64 && r < 64) {
      buf[pos++] = r >= 0 ? r * 2 : -r * 2 - 1;
    } else {
      w.pos = pos;
      w.signed(r);
      pos = w.pos;
    }
  }
  w.pos = pos;
}

let offsetScratch = new Int32Array(4096);
function scratchOffsets(count: number): Int32Array {
  if (offsetScratch.length < count) offsetScratch = new Int32Array(count);
  return offsetScratch;
}

/** Polling periods worth trying as a grid, longest first (ms). */
const GRID_QUANTA = [60_000, 30_000, 10_000, 5000, 2000, 1000, 500, 250, 200, 100, 50, 20, 10];

/**
 * The longest polling period the times sit on, or 0 for plain delta-of-delta. Samples stored on
 * change or by heartbeat are whole polls apart give or take a few ms; when nine deltas in ten are
 * within a fiftieth of a period of a multiple of it, they sit on its grid. Periods over twice the
 * shortest delta are not tried: that delta would be off their grid, and rarely is it alone.
 */
function gridQuantum(ts: Float64Array, shortest: number): number {
  const allowedMisses = Math.floor((ts.length - 1) / 10);
  for (let q = 0; q < GRID_QUANTA.length; q++) {
    const quantum = GRID_QUANTA[q]!;
    if (quantum > 2 * shortest) continue;
    const tolerance = quantum / 50;
    let misses = 0;
    for (let i = 1; i < ts.length && misses <= allowedMisses; i++) {
      const delta = ts[i]! - ts[i - 1]!;
      if (delta < quantum / 2 || Math.abs(delta - Math.round(delta / quantum) * quantum) > tolerance) misses++;
    }
    if (misses <= allowedMisses) return quantum;
  }
  return 0;
}

function writeQualities(w: ByteWriter, qualities: Uint8Array): void {
  const count = qualities.length;
  let runs = 0;
  for (let i = 0; i < count; i++) if (i === 0 || qualities[i] !== qualities[i - 1]) runs++;
  w.reserve(8 + runs * 9);
  w.unsigned(runs);
  for (let i = 0; i < count; ) {
    const q = qualities[i]!;
    let j = i + 1;
    while (j < count && qualities[j] === q) j++;
    w.byte(q);
    w.unsigned(j - i);
    i = j;
  }
}

/** Writes the runs of NaN values and returns the values that are present, in order. */
function writeGaps(w: ByteWriter, values: Float64Array): Float64Array {
  const count = values.length;
  let gaps = 0;
  let runs = 0;
  for (let i = 0; i < count; i++) {
    if (values[i] !== values[i]) {
      gaps++;
      if (i === 0 || values[i - 1] === values[i - 1]) runs++;
    }
  }
  w.reserve(8 + runs * 16);
  w.unsigned(runs);
  if (gaps === 0) return values;
  const present = new Float64Array(count - gaps);
  let m = 0;
  let since = 0;
  for (let i = 0; i < count; ) {
    const v = values[i]!;
    if (v === v) {
      present[m++] = v;
      since++;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < count && values[j] !== values[j]) j++;
    w.unsigned(since);
    w.unsigned(j - i);
    since = 0;
    i = j;
  }
  return present;
}

function writeValues(head: ByteWriter, w: ByteWriter, present: Float64Array, hint: ValueHint | undefined, cuts: number[]): void {
  const m = present.length;
  w.reserve(m * 9);
  const scaled = hint === undefined ? null : scaledIntegers(present, hint);
  const decimal = decimalIntegers(present);
  // Both integer modes make the same kind of column: the smaller numbers win, and the hint's
  // 16 bytes of scale and offset count against it.
  if (scaled !== null && (decimal === null || scaled.cost + 16 < decimal.cost)) {
    head.byte(VALUE_SCALED);
    head.f64(hint!.scale);
    head.f64(hint!.offset);
    writeDeltas(w, scaled.ints);
  } else if (decimal !== null) {
    head.byte(VALUE_DECIMAL);
    head.byte(decimal.decimals);
    writeDeltas(w, decimal.ints);
  } else if (isFloat32(present)) {
    head.byte(VALUE_FLOAT32);
    for (let plane = 1; plane < 4; plane++) cuts.push(w.pos + plane * m);
    writeXorPlanes32(w, present);
  } else {
    head.byte(VALUE_FLOAT64);
    for (let plane = 1; plane < 8; plane++) cuts.push(w.pos + plane * m);
    writeXorPlanes64(w, present);
  }
}

interface Integers {
  ints: Float64Array;
  /** Varint bytes of the deltas, to compare the integer modes by. */
  cost: number;
}

/** The register counts n with value = n * scale + offset bit for bit (−0 included), or null when some value is not one. */
function scaledIntegers(present: Float64Array, hint: ValueHint): Integers | null {
  const { scale, offset } = hint;
  if (!Number.isFinite(scale) || scale === 0 || !Number.isFinite(offset)) return null;
  const ints = new Float64Array(present.length);
  for (let i = 0; i < present.length; i++) {
    const v = present[i]!;
    // `+ 0`: the decoder rebuilds n from deltas and never sees −0, so neither may the check.
    const n = Math.round((v - offset) / scale) + 0;
    if (!(Math.abs(n) < INT_LIMIT) || !Object.is(n * scale + offset, v)) return null;
    ints[i] = n;
  }
  return { ints, cost: deltaCost(ints) };
}

/** The fewest decimals that give every value back bit for bit as n / 10^decimals, or null. */
function decimalIntegers(present: Float64Array): (Integers & { decimals: number }) | null {
  // A first pass finds the decimals the values need. A value exact at k decimals nearly always is
  // at more, but not provably at every magnitude, so a second pass checks them all at the answer.
  let decimals = 0;
  for (let i = 0; i < present.length; i++) {
    const v = present[i]!;
    while (!fitsDecimal(v, decimals)) if (++decimals > MAX_DECIMALS) return null;
  }
  for (; decimals <= MAX_DECIMALS; decimals++) {
    const p = POW10[decimals]!;
    const ints = new Float64Array(present.length);
    let all = true;
    for (let i = 0; i < present.length && all; i++) {
      const v = present[i]!;
      all = fitsDecimal(v, decimals);
      ints[i] = Math.round(v * p) + 0;
    }
    if (all) return { ints, cost: deltaCost(ints), decimals };
  }
  return null;
}

function fitsDecimal(v: number, decimals: number): boolean {
  const p = POW10[decimals]!;
  const n = Math.round(v * p) + 0;
  return Math.abs(n) < INT_LIMIT && Object.is(n / p, v);
}

function deltaCost(ints: Float64Array): number {
  let cost = 0;
  let previous = 0;
  for (let i = 0; i < ints.length; i++) {
    const d = Math.abs(ints[i]! - previous);
    previous = ints[i]!;
    cost += d < 64 ? 1 : d < 8192 ? 2 : d < 1_048_576 ? 3 : 4;
  }
  return cost;
}

/**
 * Deltas of the integers; a zero delta is followed by how many more values repeat it, since a
 * point kept by heartbeat (or stored every poll) repeats its value for long stretches.
 */
function writeDeltas(w: ByteWriter, ints: Float64Array): void {
  const buf = w.buf;
  let pos = w.pos;
  let previous = 0;
  for (let i = 0; i < ints.length; ) {
    const n = ints[i++]!;
    const delta = n - previous;
    previous = n;
    if (delta > -64 && delta < 64) {
      buf[pos++] = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    } else {
      w.pos = pos;
      w.signed(delta);
      pos = w.pos;
    }
    if (delta === 0) {
      const from = i;
      while (i < ints.length && ints[i] === n) i++;
      w.pos = pos;
      w.unsigned(i - from);
      pos = w.pos;
    }
  }
  w.pos = pos;
}

function isFloat32(present: Float64Array): boolean {
  for (let i = 0; i < present.length; i++) if (!Object.is(Math.fround(present[i]!), present[i]!)) return false;
  return true;
}

// Consecutive readings share sign, exponent and top mantissa bits, so their XOR starts with zero
// bytes; laid out plane by plane, high byte first, those zeros form long runs that pack to almost
// nothing, and the noisy low bytes sit together instead of diluting everything else.

function writeXorPlanes32(w: ByteWriter, present: Float64Array): void {
  const m = present.length;
  const buf = w.buf;
  const base = w.pos;
  let previous = 0;
  for (let i = 0; i < m; i++) {
    SCRATCH_VIEW.setFloat32(0, present[i]!, true);
    const bits = SCRATCH_VIEW.getUint32(0, true);
    const x = bits ^ previous;
    previous = bits;
    buf[base + i] = x >>> 24;
    buf[base + m + i] = x >>> 16;
    buf[base + 2 * m + i] = x >>> 8;
    buf[base + 3 * m + i] = x;
  }
  w.pos += 4 * m;
}

function writeXorPlanes64(w: ByteWriter, present: Float64Array): void {
  const m = present.length;
  const buf = w.buf;
  const base = w.pos;
  let previousLo = 0;
  let previousHi = 0;
  for (let i = 0; i < m; i++) {
    SCRATCH_VIEW.setFloat64(0, present[i]!, true);
    const lo = SCRATCH_VIEW.getUint32(0, true);
    const hi = SCRATCH_VIEW.getUint32(4, true);
    const xh = hi ^ previousHi;
    const xl = lo ^ previousLo;
    previousLo = lo;
    previousHi = hi;
    // A Uint8Array keeps the low 8 bits of what it is given.
    buf[base + i] = xh >>> 24;
    buf[base + m + i] = xh >>> 16;
    buf[base + 2 * m + i] = xh >>> 8;
    buf[base + 3 * m + i] = xh;
    buf[base + 4 * m + i] = xl >>> 24;
    buf[base + 5 * m + i] = xl >>> 16;
    buf[base + 6 * m + i] = xl >>> 8;
    buf[base + 7 * m + i] = xl;
  }
  w.pos += 8 * m;
}

interface Section {
  rawLength: number;
  codec: number;
  bytes: Uint8Array;
}

/** Section boundaries at the stream cuts, pieces under MIN_SECTION_BYTES joined to the next one. */
function sectionBounds(cuts: readonly number[], length: number): number[] {
  const bounds = [0];
  for (const cut of cuts) {
    if (cut - bounds[bounds.length - 1]! >= MIN_SECTION_BYTES && length - cut >= MIN_SECTION_BYTES && bounds.length < MAX_SECTIONS) bounds.push(cut);
  }
  bounds.push(length);
  return bounds;
}

/**
 * The smallest of the section stored and packed by the codecs that can win on it: zstd for a big
 * whole body, which may hold long repeats; deflate for a single stream or a small body; the range
 * coder for anything small (measured on small blocks of every kind, zstd never beat both).
 */
function pack(raw: Uint8Array, whole: boolean): Section {
  // Stored sections point into the shared scratch buffer; the block copies them before the next encode.
  let best: Section = { rawLength: raw.length, codec: CODEC_STORED, bytes: raw };
  if (raw.length < MIN_PACK_BYTES) return best;
  const consider = (codec: number, bytes: Uint8Array) => {
    if (bytes.length < best.bytes.length) best = { rawLength: raw.length, codec, bytes };
  };
  const small = raw.length <= MAX_RANGE_BYTES;
  if (whole && !small) consider(CODEC_ZSTD, zlib.zstdCompressSync(raw, ZSTD_OPTIONS));
  else consider(CODEC_DEFLATE, zlib.deflateRawSync(raw, DEFLATE_OPTIONS));
  if (small) consider(CODEC_RANGE, rangeEncode(raw));
  return best;
}

function packedSize(sections: readonly Section[]): number {
  // Each section also costs about 4 header bytes.
  let size = 0;
  for (const section of sections) size += section.bytes.length + 4;
  return size;
}

// ---------------------------------------------------------------------------------------------
// Reading

function damaged(why: string): Error {
  return new Error(`Historian block is damaged: ${why}.`);
}

/** Reads with every read bounds-checked, so damage shows as an Error rather than a loop or garbage. */
class ByteReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  byte(): number {
    if (this.pos >= this.end) throw damaged('it ends early');
    return this.buf[this.pos++]!;
  }

  unsigned(): number {
    if (this.pos >= this.end) throw damaged('it ends early');
    const b = this.buf[this.pos++]!;
    return b < 128 ? b : this.unsignedRest(b & 127);
  }

  /** The rest of a varint whose first 7 bits were `low`: at most 8 bytes in all, value below 2^53. */
  unsignedRest(low: number): number {
    let x = low;
    let scale = 128;
    for (let i = 1; i < 8; i++) {
      if (this.pos >= this.end) throw damaged('it ends early');
      const b = this.buf[this.pos++]!;
      x += (b & 127) * scale;
      if (b < 128) {
        if (x > Number.MAX_SAFE_INTEGER) break;
        return x;
      }
      scale *= 128;
    }
    throw damaged('a number in it is out of range');
  }

  signed(): number {
    if (this.pos >= this.end) throw damaged('it ends early');
    const b = this.buf[this.pos++]!;
    if (b < 128) return (b >>> 1) ^ -(b & 1);
    // Sign and 6 bits here, the rest unsigned: mirrors ByteWriter.signed, exact up to 2^53.
    const q = ((b >>> 1) & 63) + this.unsigned() * 64;
    if (q > Number.MAX_SAFE_INTEGER) throw damaged('a number in it is out of range');
    return b & 1 ? -q - 1 : q;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw damaged('it ends early');
    for (let i = 0; i < 8; i++) SCRATCH_BYTES[i] = this.buf[this.pos++]!;
    return SCRATCH_VIEW.getFloat64(0, true);
  }
}

/** Decodes a block made by encodeBlock; throws an Error saying the block is damaged when it is not one, whole. */
export function decodeBlock(data: Uint8Array): BlockSamples {
  if (data.length === 0) throw damaged('it is empty');
  if (data[0] !== VERSION) throw damaged(`unknown format version ${data[0]}`);
  if (data.length < 9) throw damaged('it is too short');
  const end = data.length - 4;
  const crc = new DataView(data.buffer, data.byteOffset + end, 4).getUint32(0, true);
  if (zlib.crc32(data.subarray(0, end)) !== crc) throw damaged('its checksum does not match');

  const head = new ByteReader(data, 1, end);
  const count = head.unsigned();
  if (count > MAX_SAMPLES) throw damaged(`it claims ${count} samples`);
  const timeMode = head.byte();
  if (timeMode !== TIME_DOD && timeMode !== TIME_GRID) throw damaged(`unknown time mode ${timeMode}`);
  const firstTs = count > 0 ? head.unsigned() : 0;
  const quantum = timeMode === TIME_GRID ? head.unsigned() : 0;
  if (timeMode === TIME_GRID && quantum === 0) throw damaged('its time grid is 0 ms');
  const valueMode = head.byte();
  let scale = 1;
  let offset = 0;
  let decimals = 0;
  if (valueMode === VALUE_SCALED) {
    scale = head.f64();
    offset = head.f64();
  } else if (valueMode === VALUE_DECIMAL) {
    decimals = head.byte();
    if (decimals > MAX_DECIMALS) throw damaged(`it claims ${decimals} decimals`);
  } else if (valueMode !== VALUE_FLOAT32 && valueMode !== VALUE_FLOAT64) {
    throw damaged(`unknown value mode ${valueMode}`);
  }

  const body = readSections(head, data, end, count);
  const r = new ByteReader(body, 0, body.length);
  // Every sample after the first takes at least a byte of the times: a count the streams cannot
  // hold is refused before anything is allocated for it.
  if (count > body.length + 1) throw damaged(`it claims ${count} samples in ${body.length} bytes`);
  const ts = readTimes(r, count, firstTs, quantum);
  const qualities = readQualities(r, count);
  const values = new Float64Array(count);
  const present = readGaps(r, values);
  const decoded = new Float64Array(present);
  if (valueMode === VALUE_SCALED || valueMode === VALUE_DECIMAL) {
    readDeltas(r, decoded);
    if (valueMode === VALUE_SCALED) {
      for (let i = 0; i < present; i++) decoded[i] = decoded[i]! * scale + offset;
    } else {
      const p = POW10[decimals]!;
      for (let i = 0; i < present; i++) decoded[i] = decoded[i]! / p;
    }
  } else if (valueMode === VALUE_FLOAT32) {
    readXorPlanes32(r, decoded);
  } else {
    readXorPlanes64(r, decoded);
  }
  if (r.pos !== r.end) throw damaged(`${r.end - r.pos} bytes are left over`);
  if (present === count) {
    values.set(decoded);
  } else {
    let m = 0;
    for (let i = 0; i < count; i++) if (values[i] === values[i]) values[i] = decoded[m++]!;
  }
  return { ts, values, qualities };
}

/** Reads the section table and returns the streams, unpacked and joined. */
function readSections(head: ByteReader, data: Uint8Array, end: number, count: number): Uint8Array {
  const sectionCount = head.unsigned();
  if (sectionCount < 1 || sectionCount > MAX_SECTIONS) throw damaged(`it claims ${sectionCount} sections`);
  const rawLengths: number[] = [];
  const codecs: number[] = [];
  const packedLengths: number[] = [];
  let bodyLength = 0;
  let payloadLength = 0;
  for (let i = 0; i < sectionCount; i++) {
    const raw = head.unsigned();
    const codec = head.byte();
    if (codec !== CODEC_STORED && codec !== CODEC_ZSTD && codec !== CODEC_DEFLATE && codec !== CODEC_RANGE) throw damaged(`unknown codec ${codec}`);
    const packed = codec === CODEC_STORED ? raw : head.unsigned();
    rawLengths.push(raw);
    codecs.push(codec);
    packedLengths.push(packed);
    bodyLength += raw;
    payloadLength += packed;
  }
  if (payloadLength !== end - head.pos) throw damaged(`its sections take ${payloadLength} bytes, not the ${end - head.pos} there are`);
  if (bodyLength > count * MAX_STREAM_BYTES_PER_SAMPLE + 16) throw damaged(`${bodyLength} bytes of streams do not fit ${count} samples`);
  if (sectionCount === 1) {
    const payload = data.subarray(head.pos, end);
    return codecs[0] === CODEC_STORED ? payload : unpack(codecs[0]!, payload, bodyLength);
  }
  const body = new Uint8Array(bodyLength);
  let from = head.pos;
  let to = 0;
  for (let i = 0; i < sectionCount; i++) {
    const packed = data.subarray(from, from + packedLengths[i]!);
    const raw = rawLengths[i]!;
    body.set(codecs[i] === CODEC_STORED ? packed : unpack(codecs[i]!, packed, raw), to);
    from += packed.length;
    to += raw;
  }
  return body;
}

function unpack(codec: number, packed: Uint8Array, length: number): Uint8Array {
  if (codec === CODEC_RANGE) {
    if (length > MAX_RANGE_BYTES) throw damaged(`a range-coded section claims ${length} bytes`);
    return rangeDecode(packed, length);
  }
  let raw: Uint8Array;
  try {
    // The output limit keeps a damaged section from unpacking to more than it claims.
    const options = { maxOutputLength: Math.max(length, 1) };
    raw = codec === CODEC_ZSTD ? zlib.zstdDecompressSync(packed, options) : zlib.inflateRawSync(packed, options);
  } catch (error) {
    throw damaged(`a packed section does not unpack (${(error as Error).message})`);
  }
  if (raw.length !== length) throw damaged(`a section unpacks to ${raw.length} bytes, not ${length}`);
  return raw;
}

function readTimes(r: ByteReader, count: number, firstTs: number, quantum: number): Float64Array {
  const ts = new Float64Array(count);
  if (count === 0) return ts;
  ts[0] = firstTs;
  // One-byte varints are read in place, longer ones by the reader; every read is bounds-checked.
  const buf = r.buf;
  const end = r.end;
  let pos = r.pos;
  if (quantum === 0) {
    let t = firstTs;
    let delta = 0;
    for (let i = 1; i < count; i++) {
      const b = pos < end ? buf[pos]! : 128;
      if (b < 128) {
        pos++;
        delta += (b >>> 1) ^ -(b & 1);
      } else {
        r.pos = pos;
        delta += r.signed();
        pos = r.pos;
      }
      t += delta;
      ts[i] = t;
    }
  } else {
    // The k stream first, parked in ts, then the offsets from the grid.
    for (let i = 1; i < count; i++) {
      const b = pos < end ? buf[pos]! : 128;
      if (b < 128) {
        pos++;
        ts[i] = b;
      } else {
        r.pos = pos;
        ts[i] = r.unsigned();
        pos = r.pos;
      }
    }
    let grid = firstTs;
    for (let i = 1; i < count; i++) {
      grid += ts[i]! * quantum;
      const b = pos < end ? buf[pos]! : 128;
      if (b < 128) {
        pos++;
        ts[i] = grid + ((b >>> 1) ^ -(b & 1));
      } else {
        r.pos = pos;
        ts[i] = grid + r.signed();
        pos = r.pos;
      }
    }
  }
  r.pos = pos;
  // One pass after decoding rather than checks inside the loops: times must rise and stay exact.
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const t = ts[i]!;
    if (!(t > previous && t <= Number.MAX_SAFE_INTEGER)) throw damaged(`sample ${i} is not after the one before it`);
    previous = t;
  }
  return ts;
}

function readQualities(r: ByteReader, count: number): Uint8Array {
  const qualities = new Uint8Array(count);
  const runs = r.unsigned();
  let at = 0;
  for (let run = 0; run < runs; run++) {
    const q = r.byte();
    const length = r.unsigned();
    if (length === 0 || length > count - at) throw damaged('its quality runs do not match the count');
    qualities.fill(q, at, at + length);
    at += length;
  }
  if (at !== count) throw damaged('its quality runs do not match the count');
  return qualities;
}

/** Marks the gaps NaN in `values` and returns how many values are present. */
function readGaps(r: ByteReader, values: Float64Array): number {
  const count = values.length;
  const runs = r.unsigned();
  let at = 0;
  let gaps = 0;
  for (let run = 0; run < runs; run++) {
    const since = r.unsigned();
    const length = r.unsigned();
    if (since > count - at || length === 0 || length > count - at - since) throw damaged('its gaps do not match the count');
    at += since;
    values.fill(Number.NaN, at, at + length);
    at += length;
    gaps += length;
  }
  return count - gaps;
}

/** The integers of writeDeltas, repeats expanded. */
function readDeltas(r: ByteReader, out: Float64Array): void {
  const buf = r.buf;
  const end = r.end;
  let pos = r.pos;
  let n = 0;
  for (let i = 0; i < out.length; ) {
    // In place when one byte (bounds-checked: past the end it takes the reader's path, which throws).
    let delta: number;
    const b = pos < end ? buf[pos]! : 128;
    if (b < 128) {
      pos++;
      delta = (b >>> 1) ^ -(b & 1);
    } else {
      r.pos = pos;
      delta = r.signed();
      pos = r.pos;
    }
    n += delta;
    out[i++] = n;
    if (delta === 0) {
      r.pos = pos;
      const repeats = r.unsigned();
      pos = r.pos;
      if (repeats > out.length - i) throw damaged('a run of repeated values runs past the count');
      out.fill(n, i, i + repeats);
      i += repeats;
    }
  }
  r.pos = pos;
}

function readXorPlanes32(r: ByteReader, out: Float64Array): void {
  const m = out.length;
  if (r.pos + 4 * m > r.end) throw damaged('it ends early');
  const buf = r.buf;
  const base = r.pos;
  let bits = 0;
  for (let i = 0; i < m; i++) {
    bits ^= (buf[base + i]! << 24) | (buf[base + m + i]! << 16) | (buf[base + 2 * m + i]! << 8) | buf[base + 3 * m + i]!;
    SCRATCH_VIEW.setInt32(0, bits, true);
    out[i] = SCRATCH_VIEW.getFloat32(0, true);
  }
  r.pos += 4 * m;
}

function readXorPlanes64(r: ByteReader, out: Float64Array): void {
  const m = out.length;
  if (r.pos + 8 * m > r.end) throw damaged('it ends early');
  const buf = r.buf;
  const base = r.pos;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < m; i++) {
    hi ^= (buf[base + i]! << 24) | (buf[base + m + i]! << 16) | (buf[base + 2 * m + i]! << 8) | buf[base + 3 * m + i]!;
    lo ^= (buf[base + 4 * m + i]! << 24) | (buf[base + 5 * m + i]! << 16) | (buf[base + 6 * m + i]! << 8) | buf[base + 7 * m + i]!;
    SCRATCH_VIEW.setInt32(0, lo, true);
    SCRATCH_VIEW.setInt32(4, hi, true);
    out[i] = SCRATCH_VIEW.getFloat64(0, true);
  }
  r.pos += 8 * m;
}

// ---------------------------------------------------------------------------------------------
// Adaptive binary range coder (the one LZMA uses): each byte is coded as 8 binary decisions down a
// bit tree of 255 probabilities that start at one half and follow the data, so a small section
// pays no table up front. 11-bit probabilities, adapting by 1/16 of the distance per bit: faster
// than LZMA's 1/32, because these sections are short. range and code are unsigned 32-bit values
// kept in int32 variables (`>>> 0` to compare them), which runs several times faster than doubles;
// only the encoder's low, which needs a 33rd bit for the carry, is a double.

const PROB_BITS = 11;
const PROB_ONE = 1 << PROB_BITS;
const ADAPT_SHIFT = 4;
const TOP = 2 ** 24;

function rangeEncode(raw: Uint8Array): Uint8Array {
  const out = new ByteWriter(raw.length + 16);
  const probs = new Uint16Array(256).fill(PROB_ONE / 2);
  let low = 0;
  let range = -1;
  // The byte not yet written, and how many 0xff follow it: a carry out of low may still bump them.
  let cache = 0;
  let cacheSize = 1;
  const shiftLow = () => {
    if (low < 0xff000000 || low >= 2 ** 32) {
      const carry = low >= 2 ** 32 ? 1 : 0;
      out.reserve(cacheSize);
      out.byte((cache + carry) & 255);
      for (; cacheSize > 1; cacheSize--) out.byte((255 + carry) & 255);
      cacheSize = 0;
      cache = Math.floor(low / TOP) & 255;
    }
    cacheSize++;
    low = (low % TOP) * 256;
  };
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i]!;
    let node = 1;
    for (let b = 7; b >= 0; b--) {
      const bit = (x >>> b) & 1;
      const p = probs[node]!;
      // (range >>> 11) * p stays below 2^32: imul gives its bits.
      const bound = Math.imul(range >>> PROB_BITS, p);
      if (bit === 0) {
        range = bound;
        probs[node] = p + ((PROB_ONE - p) >>> ADAPT_SHIFT);
      } else {
        low += bound >>> 0;
        range = (range - bound) | 0;
        probs[node] = p - (p >>> ADAPT_SHIFT);
      }
      node = (node << 1) | bit;
      // Probabilities stay within 15..2033 of 2048, so one decision leaves range above 2^16 and one
      // shift restores it: encoder and decoder both shift at most once per bit.
      if (range >>> 0 < TOP) {
        range <<= 8;
        shiftLow();
      }
    }
  }
  for (let i = 0; i < 5; i++) shiftLow();
  return out.buf.slice(0, out.pos);
}

function rangeDecode(packed: Uint8Array, length: number): Uint8Array {
  // The first byte is the encoder's initial cache, always 0; code must start below range.
  if (packed.length < 5 || packed[0] !== 0) throw damaged('a range-coded section is corrupt');
  const raw = new Uint8Array(length);
  const probs = new Uint16Array(256).fill(PROB_ONE / 2);
  let code = (packed[1]! << 24) | (packed[2]! << 16) | (packed[3]! << 8) | packed[4]!;
  let pos = 5;
  let range = -1;
  if (code === -1) throw damaged('a range-coded section is corrupt');
  for (let i = 0; i < length; i++) {
    let node = 1;
    while (node < 256) {
      const p = probs[node]!;
      const bound = Math.imul(range >>> PROB_BITS, p);
      if (code >>> 0 < bound >>> 0) {
        range = bound;
        probs[node] = p + ((PROB_ONE - p) >>> ADAPT_SHIFT);
        node <<= 1;
      } else {
        code = (code - bound) | 0;
        range = (range - bound) | 0;
        probs[node] = p - (p >>> ADAPT_SHIFT);
        node = (node << 1) | 1;
      }
      if (range >>> 0 < TOP) {
        if (pos >= packed.length) throw damaged('a range-coded section is cut short');
        range <<= 8;
        code = (code << 8) | packed[pos++]!;
      }
    }
    raw[i] = node - 256;
  }
  if (pos !== packed.length) throw damaged('a range-coded section has bytes left over');
  return raw;
}
