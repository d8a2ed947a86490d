// The optimizer's commands ("optimize:design", "optimize:rebalance",
// "optimize:report"), shared by the page's Scenario menu and the native menu.
import { i18n } from '../../i18n'
import { useDialogStore } from '../../stores/dialogs'
import { useOptimizeStore } from '../../stores/optimize'
import { usePlanStore } from '../../stores/plan'
import { useViewStore } from '../../stores/view'
import OptimizeDialog from './OptimizeDialog.vue'

/** Runs one optimizer command (the part after "optimize:"). */
export async function optimizeCommand(what: string): Promise<void> {
  const plan = usePlanStore()
  const view = useViewStore()
  const opt = useOptimizeStore()
  if (!plan.isOpen) {
    view.notify('info', i18n.global.t('optimize.noPlan'))
    return
  }
  switch (what) {
    case 'design':
    case 'build':
      await useDialogStore().custom(OptimizeDialog, { mode: 'build' })
      return
    case 'rebalance':
      await useDialogStore().custom(OptimizeDialog, { mode: 'rebalance' })
      return
    case 'report':
      opt.showReport()
      return
    default:
      console.warn(`unknown command: optimize:${what}`)
  }
}
