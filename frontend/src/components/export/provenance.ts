// Tells the person, when a plan opens, that it is a shared copy: who
// exported it, when, and from which scenario (and that it is read-only).
import { ExportService, hasExportService } from '../../api/exportApi'
import { i18n } from '../../i18n'
import { usePlanStore } from '../../stores/plan'
import { useViewStore } from '../../stores/view'
import { provenanceMessage } from './export'

/** Shows a notice when the open plan is a shared copy. */
export async function announceProvenance(): Promise<void> {
  if (!hasExportService()) return
  const plan = usePlanStore()
  if (!plan.isOpen) return
  try {
    const p = await ExportService.Provenance()
    const msg = provenanceMessage(
      p,
      (id) => plan.scenarios.find((s) => s.id === id)?.name ?? '',
      (iso) => new Date(iso).toLocaleString((i18n.global.locale as unknown as { value: string }).value),
    )
    if (msg) useViewStore().notify('info', i18n.global.t(msg.key, msg.values), 12000)
  } catch {
    /* an older service or no plan: nothing to tell */
  }
}
