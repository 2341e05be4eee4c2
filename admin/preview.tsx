import { useEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../schema/serve'
import type { FormatContext, MountFormat } from '../sdk/kit/context'

/** The widths the frames lay the page out at: a laptop and a phone. The frame scales the page down to fit. */
const frameWidths = { desktop: 1280, mobile: 390 } as const

/**
 * The scale at which a page `width` px wide fits the frame, and the frame's height at that scale; 1 where the
 * browser cannot measure (no layout, as in tests).
 */
function useFit(frame: HTMLElement | null, stage: HTMLElement | null, width: number) {
  const [fit, setFit] = useState({ scale: 1, height: 0 })
  useEffect(() => {
    if (!frame || !stage || typeof ResizeObserver === 'undefined') return
    const measure = () => {
      const available = frame.clientWidth
      const scale = available > 0 ? Math.min(1, available / width) : 1
      const height = Math.ceil(stage.offsetHeight * scale)
      setFit((current) =>
        current.scale === scale && current.height === height ? current : { scale, height },
      )
    }
    measure()
    const observer = new ResizeObserver(measure)
    observer.observe(frame)
    observer.observe(stage)
    return () => observer.disconnect()
  }, [frame, stage, width])
  return fit
}

interface Mounted {
  host: HTMLElement
  unmount: () => void
}

interface PreviewProps {
  decision: Decision
  /** The type's widget, as the SDK loads it (`promotions/<type>/widget`). */
  mount: MountFormat
  /** How long typing must pause before the unit is rebuilt. */
  delay?: number
}

/**
 * The unit exactly as visitors will see it: the type's own SDK widget, mounted into a mock page. Page-level formats
 * (sticky bars, popups) are mounted in a layer under a transformed stage, so their fixed positions resolve to
 * the stage instead of the admin's window.
 */
export function Preview({ decision, mount, delay = 150 }: PreviewProps) {
  const slotRef = useRef<HTMLDivElement>(null)
  const pageRef = useRef<HTMLDivElement>(null)
  const mounted = useRef<Mounted | null>(null)
  const showAgain = useRef<HTMLButtonElement>(null)
  const [error, setError] = useState('')
  const [closed, setClosed] = useState(false)
  const [note, setNote] = useState('')
  const [replays, setReplays] = useState(0)
  const [device, setDevice] = useState<'desktop' | 'mobile'>('desktop')
  const [frame, setFrame] = useState<HTMLDivElement | null>(null)
  const [stage, setStage] = useState<HTMLDivElement | null>(null)
  const width = frameWidths[device]
  const fit = useFit(frame, stage, width)
  const inSlot = decision.slot !== undefined
  const signature = JSON.stringify(decision)

  const unmountCurrent = () => {
    const current = mounted.current
    mounted.current = null
    if (!current) return
    try {
      current.unmount()
    } catch {
      // A widget failing to clean up must not take the editor down; its host goes away regardless.
    }
    current.host.remove()
  }

  useEffect(() => {
    const timer = setTimeout(() => {
      unmountCurrent()
      const container = inSlot ? slotRef.current : pageRef.current
      if (!container) return
      const host = document.createElement('div')
      host.className = 'preview-host'
      container.appendChild(host)
      const context: FormatContext = {
        preview: true,
        onClick: () => setNote('On the site, this click opens the link through a tracked redirect.'),
        onClose: () => {
          setClosed(true)
          // The unit took its close button with it: keep keyboard focus in the preview.
          requestAnimationFrame(() => showAgain.current?.focus())
        },
      }
      setClosed(false)
      setNote('')
      try {
        mounted.current = { host, unmount: mount(host, decision, context) }
        setError('')
      } catch (caught) {
        host.remove()
        setError(caught instanceof Error ? caught.message : String(caught))
      }
    }, delay)
    return () => clearTimeout(timer)
  }, [signature, replays, delay, mount])

  useEffect(() => unmountCurrent, [])

  return (
    <section class="preview" aria-labelledby="preview-title">
      <div class="preview-bar">
        <h2 id="preview-title">Preview</h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">Screen size</legend>
          {(['desktop', 'mobile'] as const).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="preview-device"
                value={option}
                checked={device === option}
                onChange={() => setDevice(option)}
              />
              <span>{option === 'desktop' ? 'Desktop' : 'Mobile'}</span>
            </label>
          ))}
        </fieldset>
      </div>
      <div
        class={`preview-frame preview-${device}`}
        ref={setFrame}
        style={fit.height > 0 ? { height: `${fit.height}px` } : undefined}
      >
        <div
          class={inSlot ? 'preview-stage' : 'preview-stage preview-stage-page'}
          data-format={decision.format}
          ref={setStage}
          style={{ width: `${width}px`, transform: `scale(${fit.scale})` }}
        >
          <div class="mock-nav" aria-hidden="true" />
          <div class="mock-line mock-wide" aria-hidden="true" />
          <div class="mock-line" aria-hidden="true" />
          <div class={inSlot ? 'preview-slot' : 'preview-slot preview-slot-unused'} ref={slotRef} />
          <div class="mock-line mock-wide" aria-hidden="true" />
          <div class="mock-line" aria-hidden="true" />
          <div class="mock-line mock-short" aria-hidden="true" />
          <div class="preview-page-layer" ref={pageRef} />
        </div>
      </div>
      <div class="preview-footer">
        {closed ? (
          <p class="muted">
            Closed, as a visitor would close it.{' '}
            <button
              ref={showAgain}
              type="button"
              class="button button-small"
              onClick={() => setReplays((n) => n + 1)}
            >
              Show again
            </button>
          </p>
        ) : (
          <p class="muted" role="status">
            {note ||
              (inSlot ? `Shown in the “${decision.slot}” slot.` : 'Shown over the page, not in a slot.')}
          </p>
        )}
        {error && (
          <p class="alert alert-error" role="alert">
            The preview could not draw this creative: {error}
          </p>
        )}
      </div>
    </section>
  )
}
