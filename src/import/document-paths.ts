/**
 * Workspace document id → the path its file was imported at, for the `/workspace/document/<id>`
 * links of the apps imported after it. Kept for every file of the workspace, so kept small: a
 * `Map` of id → joined path cost about 170 bytes a file (the lower-cased id, the path string,
 * the entry), 12 MB for 70,000 files. Here the id is a key of the compact table (17 bytes for a
 * UUID, string-counts.ts), its folder a number into the folders met (files share them by the
 * hundred) and its name the name string the operation already made.
 */
import { StringCounts } from '../ent/string-counts'

export class DocumentPaths {
  /** Id → 1 + its position in `dirOf` and `names`. */
  private readonly ids = new StringCounts()
  private readonly dirNumbers = new Map<string, number>()
  private readonly dirs: string[][] = []
  private readonly dirOf: number[] = []
  private readonly names: string[] = []

  /** The file of `id` was imported as `name` in `dir`; a later file of the same id replaces it. */
  set(id: string, dir: string[], name: string): void {
    const key = dir.join('\0')
    let number = this.dirNumbers.get(key)
    if (number === undefined) {
      number = this.dirs.length
      this.dirs.push([...dir])
      this.dirNumbers.set(key, number)
    }
    const at = this.ids.get(id)
    if (at > 0) {
      this.dirOf[at - 1] = number
      this.names[at - 1] = name
      return
    }
    this.dirOf.push(number)
    this.names.push(name)
    this.ids.set(id, this.names.length)
  }

  /** The names of the path `id` was imported at, or undefined. */
  get(id: string): string[] | undefined {
    const at = this.ids.get(id)
    if (at === 0) return undefined
    return [...this.dirs[this.dirOf[at - 1]], this.names[at - 1]]
  }
}
