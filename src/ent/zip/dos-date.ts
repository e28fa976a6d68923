/**
 * An entry's DOS date and time fields (APPNOTE 4.4.6) as a Date, read as UTC whichever side
 * lists the zip, so that the browser preview and the Node import give an entry the same time.
 */
export function dosDate(date: number, time: number): Date {
  const year = 1980 + (date >> 9)
  const month = ((date >> 5) & 0xf) - 1
  const day = date & 0x1f
  return new Date(Date.UTC(year, month, Math.max(day, 1), time >> 11, (time >> 5) & 0x3f, (time & 0x1f) * 2))
}
