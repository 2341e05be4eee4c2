import { type CampaignStatus, type TransitionAction, transitions } from '../schema/status'

export const statusLabels: Record<CampaignStatus, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
  completed: 'Completed',
  archived: 'Archived',
}

export function StatusBadge({ status }: { status: CampaignStatus }) {
  return <span class={`badge badge-${status}`}>{statusLabels[status] ?? status}</span>
}

/** The actions the status machine allows from a status, in the machine's own order. */
export function actionsFrom(status: CampaignStatus): TransitionAction[] {
  return Object.entries(transitions)
    .filter(([, transition]) => transition.from.includes(status))
    .map(([action]) => action)
}

function actionLabel(action: TransitionAction, status: CampaignStatus): string {
  if (action === 'activate') return status === 'paused' ? 'Resume' : 'Activate'
  return action.charAt(0).toUpperCase() + action.slice(1)
}

/** Completing and archiving cannot be undone, so they ask first. */
export const finalActions: ReadonlySet<TransitionAction> = new Set(['complete', 'archive'])

interface StatusActionsProps {
  status: CampaignStatus
  busy?: boolean
  onAction: (action: TransitionAction) => void
}

export function StatusActions({ status, busy = false, onAction }: StatusActionsProps) {
  const actions = actionsFrom(status)
  if (actions.length === 0) return null
  return (
    <fieldset class="status-actions">
      <legend class="visually-hidden">Change status</legend>
      {actions.map((action) => (
        <button
          key={action}
          type="button"
          class={action === 'activate' ? 'button button-primary' : 'button'}
          data-action={action}
          disabled={busy}
          onClick={() => onAction(action)}
        >
          {actionLabel(action, status)}
        </button>
      ))}
    </fieldset>
  )
}
