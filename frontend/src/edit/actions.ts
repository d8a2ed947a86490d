// Editing commands that ask the person something first (names, colours,
// where units go), shared by the side panel, the map tools and the tool bar.
import { i18n } from '../i18n'
import { PlanService, type NodeKind, type TerritoryUpdate } from '../api'
import { useDialogStore } from '../stores/dialogs'
import { useEditStore } from '../stores/edit'
import { usePlanStore } from '../stores/plan'
import { useViewStore } from '../stores/view'
import NodeDialog from '../components/edit/NodeDialog.vue'
import PickDialog from '../components/edit/PickDialog.vue'
import type { NodeDialogAnswer, PickAnswer, PickOption } from './dialogTypes'
import { areaCrossedBy, type Pt } from './geometry'
import { repsOf } from './rows'

function t(key: string, args?: Record<string, unknown>): string {
  return i18n.global.t(key, args ?? {})
}

export function useEditActions() {
  const edit = useEditStore()
  const plan = usePlanStore()
  const view = useViewStore()
  const dialogs = useDialogStore()

  const nodes = () => plan.alignment?.territories ?? []
  const node = (id: string) => nodes().find((n) => n.id === id) ?? null
  const parents = () => nodes().filter((n) => n.kind === 'district' || n.kind === 'region').map((n) => ({ id: n.id, name: n.name, kind: n.kind }))
  /** Every rep of the plan (PlanService.Reps), or those the alignment names when Go cannot list them. */
  async function reps(): Promise<{ id: string; name: string }[]> {
    try {
      const list = await PlanService.Reps()
      if (list.length) return list.map((r) => ({ id: r.id, name: r.name || r.id })).sort((a, b) => a.name.localeCompare(b.name))
    } catch {
      // An older Go side: fall back to the reps assigned in this scenario.
    }
    return repsOf(nodes())
  }
  const territoryOptions = (except: string[] = []): PickOption[] =>
    nodes()
      .filter((n) => n.kind === 'territory' && !except.includes(n.id))
      .map((n) => ({ value: n.id, label: n.name, color: n.color }))

  /** The parent a new node of kind gets by default, from the selection. */
  function defaultParent(kind: NodeKind): string {
    const sel = view.selectedId ? node(view.selectedId) : null
    if (!sel || kind === 'region') return ''
    if (kind === 'territory') return sel.kind === 'territory' ? sel.parent : sel.id
    // A district goes under a region.
    if (sel.kind === 'region') return sel.id
    const p = sel.parent ? node(sel.parent) : null
    if (sel.kind === 'district') return sel.parent
    return p?.kind === 'region' ? p.id : p?.parent ?? ''
  }

  /** Asks for a new node's name, level, parent, colour and rep, and creates it. */
  async function newNode(kind: NodeKind = 'territory', parent?: string): Promise<string | null> {
    const a = await dialogs.custom<NodeDialogAnswer>(NodeDialog, {
      title: t(`edit.node.new.${kind}`),
      confirm: t('dialog.create'),
      fields: ['name', 'kind', 'parent', 'color', 'rep'],
      kind,
      parent: parent ?? defaultParent(kind),
      parents: parents(),
      reps: await reps(),
    })
    if (!a) return null
    const r = await edit.createTerritory({ name: a.name, kind: a.kind, parent: a.kind === 'region' ? '' : a.parent, color: a.color, repId: a.repId, ring: null })
    if (r?.created) view.select(r.created)
    return r?.created ?? null
  }

  type EditField = 'name' | 'color' | 'rep' | 'parent'

  /** Changes one or more fields of a node through the node dialog. */
  async function editNode(id: string, fields: EditField[] = ['name', 'color', 'rep', 'parent']): Promise<void> {
    const n = node(id)
    if (!n) return
    const kind = (n.kind as NodeKind) || 'territory'
    const shown = fields.filter((f) => (f !== 'rep' && f !== 'color') || kind === 'territory' || f === 'color')
    const title = fields.length === 1 ? t(`edit.node.title.${fields[0]}`, { name: n.name }) : t('edit.node.title.edit', { name: n.name })
    const a = await dialogs.custom<NodeDialogAnswer>(NodeDialog, {
      title,
      confirm: t('dialog.save'),
      fields: shown,
      name: n.name,
      kind,
      parent: n.parent,
      color: n.color,
      repId: n.repId,
      parents: parents(),
      reps: await reps(),
      self: n.id,
    })
    if (!a) return
    const u: TerritoryUpdate = {}
    if (shown.includes('name') && a.name !== n.name) u.name = a.name
    if (shown.includes('color') && a.color && a.color.toLowerCase() !== n.color.toLowerCase()) u.color = a.color
    if (shown.includes('rep') && a.repId !== n.repId) u.repId = a.repId
    if (shown.includes('parent') && a.parent !== n.parent) u.parent = a.parent
    if (Object.keys(u).length) await edit.updateTerritory(id, u)
  }

  /** Locks or unlocks a node. */
  async function toggleLock(id: string): Promise<void> {
    const r = plan.rowById.get(id)
    await edit.updateTerritory(id, { locked: !r?.locked })
  }

  /** Moves a node under another (drag and drop in the panel); "" = top level. */
  async function moveNode(id: string, parent: string): Promise<void> {
    const n = node(id)
    if (!n || n.parent === parent || id === parent) return
    await edit.updateTerritory(id, { parent })
  }

  /** Asks where a node's units and accounts go, then deletes it. */
  async function deleteNode(id: string): Promise<void> {
    const n = node(id)
    if (!n) return
    const isTerritory = n.kind === 'territory'
    const a = await dialogs.custom<PickAnswer>(PickDialog, {
      title: t('edit.delete.title', { name: n.name }),
      body: isTerritory ? t('edit.delete.bodyTerritory') : t('edit.delete.bodyGroup'),
      label: t('edit.delete.moveTo'),
      options: isTerritory ? [{ value: '', label: t('map.unassigned') }, ...territoryOptions([id])] : [{ value: '', label: t('edit.delete.toParent') }],
      confirm: t('dialog.delete'),
      danger: true,
    })
    if (!a) return
    const r = await edit.deleteTerritory(id, a.value)
    if (r && view.selectedId === id) view.select(null)
  }

  /** Asks which of the territories to keep, and merges the others into it. */
  async function mergeNodes(ids: string[]): Promise<void> {
    const list = ids.map((id) => node(id)).filter((n) => n && n.kind === 'territory')
    if (list.length < 2) {
      view.notify('info', t('edit.merge.needTwo'))
      return
    }
    const a = await dialogs.custom<PickAnswer>(PickDialog, {
      title: t('edit.merge.title', { n: list.length }),
      body: t('edit.merge.body'),
      label: t('edit.merge.into'),
      options: list.map((n) => ({ value: n!.id, label: n!.name, color: n!.color })),
      value: view.selectedId && ids.includes(view.selectedId) ? view.selectedId : list[0]!.id,
      confirm: t('edit.merge.confirm'),
      radios: true,
    })
    if (!a) return
    const r = await edit.mergeTerritories(
      a.value,
      list.map((n) => n!.id).filter((id) => id !== a.value),
    )
    if (r) {
      edit.multi = []
      view.select(a.value)
    }
  }

  /** Assigns the picked units to a territory ("" unassigns). */
  async function assignPicked(territoryId: string): Promise<void> {
    if (!edit.pickedUnits.length) return
    const r = await edit.paintUnits([...edit.pickedUnits], territoryId)
    if (r) edit.pickedUnits = []
  }

  /** Moves the picked accounts to a territory ("" = back to their geography). */
  async function movePicked(territoryId: string): Promise<void> {
    if (!edit.pickedAccounts.length) return
    const r = await edit.moveAccounts([...edit.pickedAccounts], territoryId)
    if (r) {
      edit.pickedAccounts = []
      edit.pickedAccountCount = 0
    }
  }

  /** A polygon was drawn: a new territory, or the drawn area of the selected territory. */
  async function drawnShape(ring: Pt[]): Promise<void> {
    if (ring.length < 4) return
    const sel = view.selectedId ? node(view.selectedId) : null
    const options: PickOption[] = [{ value: 'new', label: t('edit.draw.newTerritory'), needsName: true }]
    if (sel?.kind === 'territory') options.push({ value: sel.id, label: t('edit.draw.areaOf', { name: sel.name }), color: sel.color })
    const a = await dialogs.custom<PickAnswer>(PickDialog, {
      title: t('edit.draw.title'),
      label: t('edit.draw.what'),
      options,
      confirm: t('dialog.ok'),
      nameLabel: t('edit.node.name'),
      radios: true,
    })
    if (!a) return
    if (a.value === 'new') {
      const parent = defaultParent('territory')
      const r = await edit.createTerritory({ name: a.name, kind: 'territory', parent, color: '', repId: '', ring })
      if (r?.created) view.select(r.created)
    } else await edit.drawArea(a.value, ring)
  }

  /** A line was drawn across a drawn territory: asks the new part's name and splits it. */
  async function splitWith(line: Pt[]): Promise<void> {
    if (line.length < 2) return
    const id = areaCrossedBy(line, edit.drawn?.areas, view.selectedId)
    if (!id) {
      view.notify('info', t('edit.split.noArea'))
      return
    }
    const n = node(id)
    const name = await dialogs.prompt({
      title: t('edit.split.title', { name: n?.name ?? id }),
      label: t('edit.split.newName'),
      hint: t('edit.split.hint'),
      value: t('edit.split.defaultName', { name: n?.name ?? id }),
      confirm: t('edit.split.confirm'),
    })
    if (!name?.trim()) return
    const r = await edit.splitTerritory(id, line, name.trim())
    if (r?.created) view.select(r.created)
  }

  return { t, newNode, editNode, toggleLock, moveNode, deleteNode, mergeNodes, assignPicked, movePicked, drawnShape, splitWith, territoryOptions }
}
