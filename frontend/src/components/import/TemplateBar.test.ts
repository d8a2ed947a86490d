// The template bar against a fake ImportService that keeps templates the
// way Go does (by kind and name, without regard to case).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { i18n, applyLanguage } from '../../i18n'
import type { ImportMapping, ImportTemplate } from '../../api/importApi'
import TemplateBar from './TemplateBar.vue'

type W = { go?: unknown }
const w = window as unknown as W

let store: ImportTemplate[]
let files: Record<string, ImportMapping>
let calls: string[]

function fakeService() {
  const list = (kind: string) => store.filter((t) => t.kind === kind)
  return {
    Templates: async (kind: string) => list(kind),
    SaveTemplate: async (name: string, m: ImportMapping) => {
      calls.push(`save ${name}`)
      if (!name.trim()) throw 'a template needs a name'
      store = store.filter((t) => !(t.kind === m.kind && t.name.toLowerCase() === name.toLowerCase()))
      store.push({ name, kind: m.kind, mapping: m })
      store.sort((a, b) => a.name.localeCompare(b.name))
      return list(m.kind)
    },
    DeleteTemplate: async (kind: string, name: string) => {
      calls.push(`delete ${name}`)
      store = store.filter((t) => !(t.kind === kind && t.name === name))
      return list(kind)
    },
    ChooseTemplateFile: async () => 'C:\\maps\\Partner CRM.json',
    ReadTemplateFile: async (path: string) => {
      calls.push(`read ${path}`)
      return files[path]
    },
    ChooseTemplatePath: async () => Promise.reject('no-dialog'),
    ExportTemplate: async (kind: string, name: string, path: string) => {
      calls.push(`export ${kind} ${name} ${path}`)
      return { path, download: '', name: `${name}.json`, bytes: 10 }
    },
  }
}

const current: ImportMapping = { kind: 'accounts', columns: { id: 'Kundennummer' }, coords: 'wgs84' }

function mountBar(browser = false) {
  return mount(TemplateBar, { props: { kind: 'accounts', browser, current: () => current }, global: { plugins: [i18n] } })
}

describe('TemplateBar', () => {
  beforeEach(() => {
    applyLanguage('en')
    calls = []
    store = [
      { name: 'HR', kind: 'reps', mapping: { kind: 'reps', columns: { id: '工号' } } },
      { name: 'Old CRM', kind: 'accounts', mapping: { kind: 'accounts', columns: { id: 'Nr' } } },
    ]
    files = {
      'C:\\maps\\Partner CRM.json': { kind: 'accounts', columns: { id: 'Partner-ID' } },
    }
    w.go = { app: { PlanService: {}, ImportService: fakeService() } }
  })
  afterEach(() => {
    delete w.go
    vi.restoreAllMocks()
  })

  it('lists the templates of its kind only', async () => {
    const bar = mountBar()
    await flushPromises()
    const options = bar.find('[data-testid="import-template-select"]').findAll('option').map((o) => o.text())
    expect(options).toEqual(['Load a saved template…', 'Old CRM'])
  })

  it('applies a chosen template', async () => {
    const bar = mountBar()
    await flushPromises()
    await bar.find('[data-testid="import-template-select"]').setValue('Old CRM')
    expect(bar.emitted('apply')).toEqual([[{ kind: 'accounts', columns: { id: 'Nr' } }, 'Old CRM']])
    expect(bar.find('[data-testid="import-template-note"]').text()).toContain('Old CRM')
    expect((bar.find('[data-testid="import-template-name"]').element as HTMLInputElement).value).toBe('Old CRM')
  })

  it('saves the current mapping under a name, then deletes it', async () => {
    const bar = mountBar()
    await flushPromises()
    const save = bar.find('[data-testid="import-template-save"]')
    expect(save.attributes('disabled')).toBeDefined()
    await bar.find('[data-testid="import-template-name"]').setValue('  German CRM ')
    await save.trigger('click')
    await flushPromises()
    expect(calls).toEqual(['save German CRM'])
    expect(store.find((t) => t.name === 'German CRM')?.mapping).toEqual(current)
    const select = bar.find('[data-testid="import-template-select"]')
    expect((select.element as HTMLSelectElement).value).toBe('German CRM')
    expect(bar.find('[data-testid="import-template-note"]').text()).toBe('Saved as template “German CRM”.')
    await bar.find('[data-testid="import-template-delete"]').trigger('click')
    await flushPromises()
    expect(calls).toEqual(['save German CRM', 'delete German CRM'])
    expect(select.findAll('option').map((o) => o.text())).toEqual(['Load a saved template…', 'Old CRM'])
  })

  it('loads a mapping file through the dialog and proposes its name', async () => {
    const bar = mountBar()
    await flushPromises()
    await bar.find('[data-testid="import-template-load"]').trigger('click')
    await flushPromises()
    expect(bar.emitted('apply')?.[0]).toEqual([{ kind: 'accounts', columns: { id: 'Partner-ID' } }, 'Partner CRM'])
    expect((bar.find('[data-testid="import-template-name"]').element as HTMLInputElement).value).toBe('Partner CRM')
  })

  it('refuses a mapping file of another kind', async () => {
    files['C:\\maps\\Partner CRM.json'] = { kind: 'visits', columns: {} }
    const bar = mountBar()
    await flushPromises()
    await bar.find('[data-testid="import-template-load"]').trigger('click')
    await flushPromises()
    expect(bar.emitted('apply')).toBeUndefined()
    expect(bar.find('[data-testid="import-template-error"]').text()).toBe('Partner CRM.json is a mapping for Visit log, not for this kind of file.')
  })

  it('exports for download in the browser mode', async () => {
    const bar = mountBar(true)
    await flushPromises()
    expect(bar.find('[data-testid="import-template-load"]').exists()).toBe(false)
    expect(bar.find('[data-testid="import-template-file"]').exists()).toBe(true)
    await bar.find('[data-testid="import-template-select"]').setValue('Old CRM')
    await bar.find('[data-testid="import-template-export"]').trigger('click')
    await flushPromises()
    expect(calls).toEqual(['export accounts Old CRM '])
  })

  it('speaks Chinese', async () => {
    applyLanguage('zh-CN')
    store = []
    const bar = mountBar()
    await flushPromises()
    expect(bar.find('[data-testid="import-template-select"]').text()).toBe('这类文件还没有保存的模板')
    expect(bar.find('[data-testid="import-template-save"]').text()).toBe('保存为模板')
  })
})
