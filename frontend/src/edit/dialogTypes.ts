// What the editing dialogs (components/edit/NodeDialog.vue, PickDialog.vue)
// take and answer.
import type { NodeKind } from '../api'

/** The node dialog's answer: the fields of a node to create or change. */
export interface NodeDialogAnswer {
  name: string
  kind: NodeKind
  parent: string
  color: string
  repId: string
}

/** One choice of the pick dialog. */
export interface PickOption {
  value: string
  label: string
  color?: string
  /** When set, choosing this option needs the name field filled in. */
  needsName?: boolean
}

/** The pick dialog's answer: the chosen value and the name typed, if any. */
export interface PickAnswer {
  value: string
  name: string
}
