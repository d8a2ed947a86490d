// Wires the planning model's view state to the map: account colours and
// filters by segment, the potential heat map, white-space rings and alert
// markers. Call accountsAdded() whenever the map re-creates the account
// source and destroy() when the map goes.
import { computed, watch, type WatchStopHandle } from 'vue'
import { i18n } from '../i18n'
import { useModelStore } from '../stores/model'
import { usePlanStore } from '../stores/plan'
import { useViewStore } from '../stores/view'
import { alertMarkerSpecs } from '../model/alerts'
import { ModelLayers, accountFilter, tierColourExpression, tierStrokeExpression } from './modelLayers'
import type { PlanMap } from './controller'

export function useModelMap(pm: PlanMap) {
  const model = useModelStore()
  const plan = usePlanStore()
  const view = useViewStore()
  const stops: WatchStopHandle[] = []
  const layers = new ModelLayers(
    pm.map,
    (id) => {
      model.show('alerts')
      model.focusAlert(id)
    },
    (p) => {
      model.tileClasses = p.classes
      model.tileFlags = p.flags
    },
  )

  const filter = computed(() => accountFilter(model.hiddenClasses, model.flagFilter))
  const meanPotential = computed(() => {
    const r = plan.planRow
    return r && r.accounts > 0 ? r.potential / r.accounts : 1
  })

  stops.push(
    watch(
      () => [model.accountColouring, model.classes, filter.value] as const,
      ([by, classes, f]) => {
        pm.setAccountStyle(by === 'tier' ? { color: tierColourExpression(classes), stroke: tierStrokeExpression(classes), filter: f } : { filter: f })
      },
      { immediate: true },
    ),
    watch(
      () => [model.heatMap, model.whiteSpace, filter.value, meanPotential.value, view.showAccounts] as const,
      ([heat, ws, f, mean, vis]) => layers.update({ heat, whiteSpace: ws, filter: f, meanPotential: mean, accountsVisible: vis }),
      { immediate: true },
    ),
    watch(
      () => [model.alertMarkers, model.alertList, plan.alignment, (i18n.global.locale as unknown as { value: string }).value] as const,
      ([on, list, al]) => layers.setAlertMarkers(on ? alertMarkerSpecs(list, al?.territories ?? [], (k, a) => i18n.global.t(k, a ?? {})) : []),
      { immediate: true },
    ),
  )

  return {
    accountsAdded: () => layers.accountsAdded(),
    destroy(): void {
      while (stops.length) stops.pop()!()
      layers.destroy()
    },
  }
}
