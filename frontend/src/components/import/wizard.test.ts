import { describe, expect, it } from 'vitest'
import { needsLocation, rejectRows } from './wizard'
import type { ImportReport } from '../../api/importApi'

function report(n: number, total: number): ImportReport {
  const rejects = Array.from({ length: n }, (_, i) => ({ row: i + 2, column: 'lat', value: '95', code: 'out-of-range', reason: 'x' }))
  return {
    kind: 'accounts', file: 'a.csv', sheet: '', encoding: 'utf-8', delimiter: ',', headerRow: 1, rows: 10, accepted: 10 - n,
    rejected: n, added: 0, updated: 0, unchanged: 0, removed: 0, committed: false, dryRun: false, rejects, rejectsTotal: total, warnings: [], millis: 1,
  }
}

describe('rejectRows', () => {
  it('caps the list and counts the rest', () => {
    expect(rejectRows(report(5, 5), 3)).toMatchObject({ more: 2 })
    expect(rejectRows(report(5, 5), 3).rows).toHaveLength(3)
  })
  it('counts values the report left out', () => {
    expect(rejectRows(report(2, 9), 10).more).toBe(7)
  })
  it('handles no report and null lists', () => {
    expect(rejectRows(null, 3)).toEqual({ rows: [], more: 0 })
    expect(rejectRows({ ...report(0, 0), rejects: null }, 3)).toEqual({ rows: [], more: 0 })
  })
})

describe('needsLocation', () => {
  it('is true for accounts and reps only', () => {
    expect(['accounts', 'reps', 'sales', 'visits'].map(needsLocation)).toEqual([true, true, false, false])
  })
})
