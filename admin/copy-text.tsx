import { useRef, useState } from 'preact/hooks'

/**
 * A value shown as code with a button that copies it; where the clipboard is refused, the value is selected
 * so the keyboard can copy it.
 */
export function CopyText({ text, label }: { text: string; label: string }) {
  const code = useRef<HTMLElement>(null)
  const [copied, setCopied] = useState<'yes' | 'no' | ''>('')

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied('yes')
    } catch {
      const selection = window.getSelection()
      if (code.current && selection) selection.selectAllChildren(code.current)
      setCopied('no')
    }
  }

  return (
    <>
      <pre class="code">
        <code ref={code}>{text}</code>
      </pre>
      <div class="row">
        <button type="button" class="button" onClick={copy}>
          {label}
        </button>
        <span class="muted" role="status">
          {copied === 'yes'
            ? 'Copied to the clipboard.'
            : copied === 'no'
              ? 'Selected: press Ctrl+C or ⌘C.'
              : ''}
        </span>
      </div>
    </>
  )
}
