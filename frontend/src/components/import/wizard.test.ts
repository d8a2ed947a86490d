import { describe, expect, it } from 'vitest'
import { applyTemplate, boundaryOptions, idFieldChoices, needsLocation, pseudoFieldKey, rejectRows, templateNameFromFile, templateTable } from './wizard'
import type { BoundaryPreview, ImportField, ImportMapping, ImportPreview, ImportReport } from '../../api/importApi'

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

describe('applyTemplate', () => {
  const fields: ImportField[] = [
    { key: 'id', required: true, type: 'text' },
    { key: 'name', required: false, type: 'text' },
    { key: 'lon', required: false, type: 'number' },
    { key: 'lat', required: false, type: 'number' },
  ]
  const tpl: ImportMapping = {
    kind: 'accounts',
    columns: { id: 'Kundennummer', lon: 'Länge', lat: 'Breite' },
    extra: ['Mitarbeiter', 'Umsatz 2024'],
    coords: 'gcj02',
  }
  const cases: { name: string; header: string[]; want: Partial<ReturnType<typeof applyTemplate>> }[] = [
    {
      name: 'every column present',
      header: ['Kundennummer', 'Firma', 'Länge', 'Breite', 'Mitarbeiter', 'Umsatz 2024'],
      want: { columns: { id: 'Kundennummer', name: '', lon: 'Länge', lat: 'Breite' }, extra: ['Mitarbeiter', 'Umsatz 2024'], coords: 'gcj02', missing: [] },
    },
    {
      name: 'columns the file lacks stay unmapped and are named',
      header: ['Kundennummer', 'Länge', 'Mitarbeiter'],
      want: { columns: { id: 'Kundennummer', name: '', lon: 'Länge', lat: '' }, extra: ['Mitarbeiter'], missing: ['Breite', 'Umsatz 2024'] },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      expect(applyTemplate(tpl, c.header, fields)).toMatchObject(c.want)
    })
  }
  it('replaces what the suggestion had, defaults to WGS-84, keeps month columns', () => {
    const a = applyTemplate({ kind: 'sales', columns: { account: 'A' }, monthColumns: ['2025-01', '2025-02'] }, ['A', '2025-01'], [
      { key: 'account', required: true, type: 'text' },
      { key: 'month', required: false, type: 'month' },
    ])
    expect(a).toEqual({ columns: { account: 'A', month: '' }, extra: [], monthColumns: ['2025-01'], coords: 'wgs84', missing: ['2025-02'] })
  })
})

describe('templateTable', () => {
  const p = { sheet: 'Jan', sheets: ['Jan', 'Feb'], headerRow: 1 } as ImportPreview
  it.each([
    ['same table', { kind: 'accounts', columns: {} }, null],
    ['another sheet', { kind: 'accounts', columns: {}, sheet: 'Feb' }, { sheet: 'Feb', headerRow: 0 }],
    ['a sheet the file lacks', { kind: 'accounts', columns: {}, sheet: 'Mar' }, null],
    ['a forced header row', { kind: 'accounts', columns: {}, headerRow: 3 }, { sheet: 'Jan', headerRow: 3 }],
    ['the detected header row', { kind: 'accounts', columns: {}, headerRow: 1 }, null],
  ] as [string, ImportMapping, unknown][])('%s', (_n, m, want) => {
    expect(templateTable(m, p)).toEqual(want)
  })
})

describe('boundary helpers', () => {
  it('names template files', () => {
    expect(templateNameFromFile('C:\\maps\\CRM export.json')).toBe('CRM export')
    expect(templateNameFromFile('/tmp/x/客户.JSON')).toBe('客户')
    expect(templateNameFromFile('plain')).toBe('plain')
  })
  it('knows the pseudo-fields', () => {
    expect(['@id', '@name', '@number', 'GEOID'].map(pseudoFieldKey)).toEqual(['featureId', 'featureName', 'featureNumber', null])
  })
  it('builds the options of a dry run and of the import', () => {
    const c = { idField: 'adcode', nameField: 'name', level: ' district ', add: true }
    expect(boundaryOptions(c, true)).toEqual({ goodRows: false, dryRun: true, removeMissing: false, scenario: '', idField: 'adcode', nameField: 'name', level: 'district', addUnits: true })
    expect(boundaryOptions({ ...c, add: false, level: '' }, false)).toMatchObject({ dryRun: false, addUnits: false, level: '' })
  })
  it('offers the fields that could be ids first', () => {
    const p = { fields: ['NAME', 'GEOID', 'SEQ', '@number'], idFields: ['GEOID', '@number'] } as BoundaryPreview
    expect(idFieldChoices(p)).toEqual([
      { field: 'GEOID', suits: true },
      { field: '@number', suits: true },
      { field: 'NAME', suits: false },
      { field: 'SEQ', suits: false },
    ])
  })
})
