// Commands shared by the in-page menu, the welcome screen, keyboard shortcuts
// and native menus (menu:action events), so each runs the same code.
import { ApiError, PlanService, messageOf } from './api'
import { applyLanguage, i18n, normalizeLanguage, type Language } from './i18n'
import { useDialogStore } from './stores/dialogs'
import { usePlanStore } from './stores/plan'
import { useViewStore } from './stores/view'
import { menuUndoRedo } from './edit/keys'
import ImportWizard from './components/import/ImportWizard.vue'
import ExportDialog from './components/export/ExportDialog.vue'
import { announceProvenance } from './components/export/provenance'
import { optimizeCommand } from './components/optimize/commands'
import { useModelStore, type ModelTab } from './stores/model'

function t(key: string, args?: Record<string, unknown>): string {
  return i18n.global.t(key, args ?? {})
}

function examplePath(): string {
  const win = typeof navigator !== 'undefined' && /win/i.test(navigator.platform)
  return win ? 'C:\\Users\\me\\Documents\\plan.territoria' : '/home/me/plans/plan.territoria'
}

export function useCommands() {
  const plan = usePlanStore()
  const view = useViewStore()
  const dialogs = useDialogStore()

  /** Asks Go for a native dialog; falls back to typing a path in browser mode. */
  async function choosePath(save: boolean, title: string, confirm: string): Promise<string | null> {
    try {
      const p = save ? await PlanService.ChooseSavePath() : await PlanService.ChooseOpenPath()
      return p ? p : null
    } catch (e) {
      if (!(e instanceof ApiError && e.isNoDialog)) throw e
    }
    const p = await dialogs.prompt({
      title,
      label: t('dialog.path'),
      hint: t('dialog.pathHint', { example: examplePath() }),
      value: plan.info?.open && save ? plan.info.path : '',
      confirm,
      path: true,
    })
    return p && p.trim() ? p.trim() : null
  }

  async function afterPlanChange(): Promise<void> {
    view.select(null)
    view.setCollapsed([])
    await plan.reload()
    view.fitPlanRequest++
    await announceProvenance()
  }

  async function newPlan() {
    const path = await choosePath(true, t('dialog.newTitle'), t('dialog.create'))
    if (!path) return
    await PlanService.NewPlan(path)
    await afterPlanChange()
  }

  async function openPlan(path?: string) {
    const p = path ?? (await choosePath(false, t('dialog.openTitle'), t('dialog.open')))
    if (!p) return
    await PlanService.OpenPlan(p)
    await afterPlanChange()
  }

  async function openDemo() {
    await PlanService.OpenDemo()
    await afterPlanChange()
  }

  async function saveAs() {
    if (!plan.isOpen) return
    const path = await choosePath(true, t('dialog.saveAsTitle'), t('dialog.save'))
    if (!path) return
    await PlanService.SaveAs(path)
    await plan.reload()
  }

  async function switchScenario(id: string) {
    if (!id || id === plan.info?.activeScenario) return
    await PlanService.SwitchScenario(id)
    await plan.reload()
  }

  async function createScenario() {
    if (!plan.isOpen) return
    const name = await dialogs.prompt({
      title: t('scenario.newTitle'),
      label: t('scenario.name'),
      hint: t('scenario.newHint'),
      confirm: t('dialog.create'),
    })
    if (!name?.trim()) return
    const s = await PlanService.CreateScenario(name.trim())
    await PlanService.SwitchScenario(s.id)
    await plan.reload()
  }

  async function cloneScenario() {
    const cur = plan.activeScenario
    if (!cur) return
    const name = await dialogs.prompt({
      title: t('scenario.cloneTitle'),
      label: t('scenario.name'),
      hint: t('scenario.cloneHint', { name: cur.name }),
      value: t('scenario.cloneName', { name: cur.name }),
      confirm: t('dialog.create'),
    })
    if (!name?.trim()) return
    const s = await PlanService.CloneScenario(cur.id, name.trim())
    await PlanService.SwitchScenario(s.id)
    await plan.reload()
  }

  async function renameScenario() {
    const cur = plan.activeScenario
    if (!cur) return
    const name = await dialogs.prompt({
      title: t('scenario.renameTitle'),
      label: t('scenario.name'),
      value: cur.name,
      confirm: t('dialog.rename'),
    })
    if (!name?.trim() || name.trim() === cur.name) return
    await PlanService.RenameScenario(cur.id, name.trim())
    await plan.reloadScenarios()
  }

  async function deleteScenario() {
    const cur = plan.activeScenario
    if (!cur) return
    if (plan.scenarios.length <= 1) {
      view.notify('info', t('scenario.lastCannotDelete'))
      return
    }
    const ok = await dialogs.confirm({
      title: t('scenario.deleteTitle'),
      body: t('scenario.deleteBody', { name: cur.name }),
      confirm: t('dialog.delete'),
      danger: true,
    })
    if (!ok) return
    await PlanService.DeleteScenario(cur.id)
    view.select(null)
    await plan.reload()
  }

  async function setLanguage(lang: Language) {
    applyLanguage(lang)
    view.language = lang
    if (plan.bridge === 'ok') plan.settings = await PlanService.SetLanguage(lang)
  }

  async function setBasemapURL(url: string) {
    plan.settings = await PlanService.SetBasemapURL(url.trim())
  }

  /** Opens the import wizard; without an open plan, creates one first. */
  async function importData() {
    if (!plan.isOpen) await newPlan()
    if (!plan.isOpen) return
    await dialogs.custom(ImportWizard)
  }

  /** Opens the export dialog (optionally on a format). */
  async function exportPlan(format?: 'share') {
    if (!plan.isOpen) {
      view.notify('info', t('export.noPlan'))
      return
    }
    await dialogs.custom(ExportDialog, format ? { format } : {})
  }

  async function openSettings() {
    await dialogs.settings()
  }

  /** Runs a named command; errors become notices. */
  async function run(action: string): Promise<void> {
    try {
      if (action.startsWith('open-recent:')) return await openPlan(action.slice('open-recent:'.length))
      if (action.startsWith('scenario:switch:')) return await switchScenario(action.slice('scenario:switch:'.length))
      if (action.startsWith('lang:')) return await setLanguage(normalizeLanguage(action.slice(5)))
      if (action.startsWith('optimize:')) return await optimizeCommand(action.slice('optimize:'.length))
      switch (action) {
        case 'new':
          return await newPlan()
        case 'open':
          return await openPlan()
        case 'demo':
        case 'opendemo':
        case 'open-demo':
          return await openDemo()
        case 'saveas':
        case 'save-as':
          return await saveAs()
        case 'settings':
          return await openSettings()
        case 'import':
          return await importData()
        case 'export':
          return await exportPlan()
        case 'share':
          return await exportPlan('share')
        case 'scenario:create':
        case 'scenario:new':
          return await createScenario()
        case 'scenario:clone':
          return await cloneScenario()
        case 'scenario:rename':
          return await renameScenario()
        case 'scenario:delete':
          return await deleteScenario()
        case 'view:panel':
          view.panelOpen = !view.panelOpen
          return
        case 'view:legend':
          view.legendOpen = !view.legendOpen
          return
        case 'undo':
        case 'redo':
          return menuUndoRedo(action)
        case 'quit':
          // Handled by the desktop shell.
          return
        case 'model:assumptions':
        case 'model:alerts':
        case 'model:quotas':
        case 'model:reps':
          if (plan.isOpen) useModelStore().show(action.slice('model:'.length) as ModelTab)
          return
        case 'view:fit':
          view.fitPlanRequest++
          return
        default:
          console.warn(`unknown command: ${action}`)
      }
    } catch (e) {
      view.notify('error', messageOf(e))
    }
  }

  return { run, setLanguage, setBasemapURL, openPlan }
}
