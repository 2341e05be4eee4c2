import type { ComponentChildren } from 'preact'
import type { Grade } from './api'

/** good: done as hoped; info: on its way or kept; warn: waiting on a retry; bad: given up. */
export type Tone = 'good' | 'info' | 'warn' | 'bad' | 'neutral'

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>
}

const gradeTones: Record<Grade, Tone> = { A: 'good', B: 'info', C: 'warn', D: 'neutral' }

export function GradeBadge({ grade }: { grade: Grade }) {
  return (
    <Badge tone={gradeTones[grade] ?? 'neutral'}>
      <span class="visually-hidden">Grade </span>
      {grade}
    </Badge>
  )
}
