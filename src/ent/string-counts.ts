/**
 * An exact count per string, for the sets a reader keeps for every record of an index: the
 * workspace's ids (a repeated id is rejected) and the exporter's naming replay (how many times
 * a name was met in a directory). A `Map<string, number>` costs about 90 bytes for a 36-byte
 * id (the string's header, the entry, the table around it); here a key costs its UTF-8 bytes
 * plus 24 or so (offset, length, hash, count, two to four table slots), and a lower-case UUID
 * 17 bytes: a million ids take about 40 MB instead of 90, a million file names about 40 instead
 * of 80.
 *
 * The keys' bytes go in 1 MiB pages that are never copied (a page full, the next is made);
 * the per-entry arrays and the table double, which moves 12 and 8 bytes an entry, not the keys.
 * Lookups compare the bytes: exact, whatever the hash does. Keys longer than a page (never met
 * in an index, whose records are capped far below) and keys with surrogates (UTF-8 would turn
 * two different lone surrogates into the same U+FFFD) are kept in a plain Map.
 */
const PAGE_BYTES = 1 << 20
const encoder = new TextEncoder()
const SURROGATE = /[\uD800-\uDFFF]/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** Starts a packed UUID: a byte UTF-8 never writes, so no other key's bytes can be the same. */
const PACKED_UUID = 0xff

export class StringCounts {
  private readonly pages: Uint8Array[] = [new Uint8Array(PAGE_BYTES)]
  private pageUsed = 0
  /** Per entry: where its bytes start (page << 20 | position), their length, hash and count. */
  private offsets = new Uint32Array(1024)
  private lengths = new Uint32Array(1024)
  private hashes = new Uint32Array(1024)
  private counts = new Uint32Array(1024)
  /** Open addressing, linear probing: entry index + 1, 0 when empty. */
  private slots = new Uint32Array(2048)
  private entries = 0
  private readonly long = new Map<string, number>()
  private scratch = new Uint8Array(4096)

  /** Distinct keys. */
  get size(): number {
    return this.entries + this.long.size
  }

  has(key: string): boolean {
    return this.get(key) > 0
  }

  /** How many times the key was added (0: never). */
  get(key: string): number {
    const length = this.encode(key)
    if (length > PAGE_BYTES) return this.long.get(key) ?? 0
    const entry = this.find(length, hashOf(this.scratch, length))
    return entry < 0 ? 0 : this.counts[entry]
  }

  /** Counts the key once more; answers how many times it was counted before. */
  add(key: string): number {
    const length = this.encode(key)
    if (length > PAGE_BYTES) {
      const before = this.long.get(key) ?? 0
      this.long.set(key, before + 1)
      return before
    }
    const hash = hashOf(this.scratch, length)
    const entry = this.find(length, hash)
    if (entry >= 0) return this.counts[entry]++
    this.insert(length, hash)
    return 0
  }

  /**
   * Gives the key a number of the caller's (below 2³²; 0 reads as never added), replacing its
   * count: a compact string → number map for a table that holds an index into arrays of its own.
   */
  set(key: string, value: number): void {
    const length = this.encode(key)
    if (length > PAGE_BYTES) {
      this.long.set(key, value)
      return
    }
    const hash = hashOf(this.scratch, length)
    const found = this.find(length, hash)
    const entry = found >= 0 ? found : this.insert(length, hash)
    this.counts[entry] = value
  }

  /** The key's UTF-8 bytes in `scratch`; their length (above PAGE_BYTES: not encoded, kept in the Map). */
  private encode(key: string): number {
    if (SURROGATE.test(key)) return PAGE_BYTES + 1
    if (key.length * 3 > this.scratch.length) {
      if (key.length > PAGE_BYTES) return PAGE_BYTES + 1
      this.scratch = new Uint8Array(Math.min(PAGE_BYTES * 3, key.length * 3))
    }
    if (key.length === 36 && UUID.test(key)) return this.packUuid(key)
    const { written } = encoder.encodeInto(key, this.scratch)
    return written
  }

  /** A lower-case UUID (the ENT's ids) in 17 bytes instead of 36. */
  private packUuid(key: string): number {
    this.scratch[0] = PACKED_UUID
    let at = 1
    for (let i = 0; i < 36; i += 2) {
      if (key.charCodeAt(i) === 0x2d) i++
      this.scratch[at++] = (hexDigit(key.charCodeAt(i)) << 4) | hexDigit(key.charCodeAt(i + 1))
    }
    return at
  }

  private find(length: number, hash: number): number {
    const mask = this.slots.length - 1
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]
      if (at === 0) return -1
      const entry = at - 1
      if (this.hashes[entry] === hash && this.lengths[entry] === length && this.sameBytes(entry, length)) return entry
    }
  }

  private sameBytes(entry: number, length: number): boolean {
    const offset = this.offsets[entry]
    const page = this.pages[offset >>> 20]
    const start = offset & (PAGE_BYTES - 1)
    for (let i = 0; i < length; i++) if (page[start + i] !== this.scratch[i]) return false
    return true
  }

  /** A new entry of count 1; its number. */
  private insert(length: number, hash: number): number {
    if (this.pageUsed + length > PAGE_BYTES) {
      this.pages.push(new Uint8Array(PAGE_BYTES))
      this.pageUsed = 0
    }
    const entry = this.entries++
    if (entry >= this.offsets.length) this.growEntries()
    this.pages[this.pages.length - 1].set(this.scratch.subarray(0, length), this.pageUsed)
    this.offsets[entry] = (((this.pages.length - 1) << 20) | this.pageUsed) >>> 0
    this.pageUsed += length
    this.lengths[entry] = length
    this.hashes[entry] = hash
    this.counts[entry] = 1
    if (this.entries * 2 > this.slots.length) this.growSlots()
    else this.place(entry)
    return entry
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1
    let slot = this.hashes[entry] & mask
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask
    this.slots[slot] = entry + 1
  }

  private growEntries(): void {
    const grown = (old: Uint32Array) => {
      const next = new Uint32Array(old.length * 2)
      next.set(old)
      return next
    }
    this.offsets = grown(this.offsets)
    this.lengths = grown(this.lengths)
    this.hashes = grown(this.hashes)
    this.counts = grown(this.counts)
  }

  private growSlots(): void {
    this.slots = new Uint32Array(this.slots.length * 2)
    for (let entry = 0; entry < this.entries; entry++) this.place(entry)
  }
}

/** A lower-case hex digit's value (the UUID pattern was checked). */
function hexDigit(code: number): number {
  return code <= 0x39 ? code - 0x30 : code - 0x57
}

/** FNV-1a, then a final mix (sequential names differ only in a few low bits). */
function hashOf(bytes: Uint8Array, length: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[i], 0x01000193)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
