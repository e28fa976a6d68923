/**
 * A set of record ids that stays small when it holds a million of them: ENT ids are mostly
 * UUIDs (Mongo documents of the workspace, blogs…), kept here as 16 bytes in an open-addressing
 * table of typed arrays instead of one 36-character string and one hash entry each (about 76
 * bytes a UUID in a Set<string>, 16 to 32 here). Any other id goes to an ordinary Set, so
 * membership stays exact whatever the ids look like.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const INITIAL_SLOTS = 1024

function hex(id: string, from: number, to: number): number {
  return Number.parseInt(id.slice(from, to), 16) >>> 0
}

export class IdSet {
  private keys = new Uint32Array(INITIAL_SLOTS * 4)
  private used = new Uint8Array(INITIAL_SLOTS)
  private uuids = 0
  private readonly others = new Set<string>()
  private readonly word = new Uint32Array(4)

  get size(): number {
    return this.uuids + this.others.size
  }

  has(id: string): boolean {
    if (!UUID.test(id)) return this.others.has(id)
    this.parse(id)
    return this.used[this.find(this.keys, this.used, this.word)] === 1
  }

  /** Adds `id`; false when it was there already. */
  add(id: string): boolean {
    if (!UUID.test(id)) {
      if (this.others.has(id)) return false
      this.others.add(id)
      return true
    }
    this.parse(id)
    const slot = this.find(this.keys, this.used, this.word)
    if (this.used[slot] === 1) return false
    this.put(slot, this.keys, this.used, this.word)
    this.uuids++
    // Kept at most half full: probes stay short.
    if (this.uuids * 2 > this.used.length) this.grow()
    return true
  }

  private parse(id: string): void {
    const w = this.word
    w[0] = hex(id, 0, 8)
    w[1] = (hex(id, 9, 13) << 16) | hex(id, 14, 18)
    w[2] = (hex(id, 19, 23) << 16) | hex(id, 24, 28)
    w[3] = hex(id, 28, 36)
  }

  /** The slot holding `w`, or the empty slot where it would go. */
  private find(keys: Uint32Array, used: Uint8Array, w: Uint32Array): number {
    const mask = used.length - 1
    // UUIDs are random in their first and last words; mixing them spreads sequential ids too.
    let slot = (Math.imul(w[0] ^ w[3], 0x9e3779b1) >>> 0) & mask
    while (used[slot] === 1) {
      const at = slot * 4
      if (keys[at] === w[0] && keys[at + 1] === w[1] && keys[at + 2] === w[2] && keys[at + 3] === w[3]) return slot
      slot = (slot + 1) & mask
    }
    return slot
  }

  private put(slot: number, keys: Uint32Array, used: Uint8Array, w: Uint32Array): void {
    keys.set(w, slot * 4)
    used[slot] = 1
  }

  private grow(): void {
    const slots = this.used.length * 2
    const keys = new Uint32Array(slots * 4)
    const used = new Uint8Array(slots)
    const w = new Uint32Array(4)
    for (let slot = 0; slot < this.used.length; slot++) {
      if (this.used[slot] !== 1) continue
      w.set(this.keys.subarray(slot * 4, slot * 4 + 4))
      this.put(this.find(keys, used, w), keys, used, w)
    }
    this.keys = keys
    this.used = used
  }
}
