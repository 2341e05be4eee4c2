interface CloseButtonProps {
  onClose(): void
  label?: string
}

/** The unit's close control: a real button, labelled for screen readers, styled by the `close` class. */
export function CloseButton({ onClose, label = 'Close' }: CloseButtonProps) {
  return (
    <button type="button" class="close" aria-label={label} onClick={onClose}>
      <span aria-hidden="true">×</span>
    </button>
  )
}
