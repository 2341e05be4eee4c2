import { Preview } from '../../../admin/preview'
import type { Decision } from '../../../schema/serve'
import { mount } from '../widget/index'

/** The banner as visitors see it: the awareness widget itself, in the admin's mock page. */
export function AwarenessPreview({ decision }: { decision: Decision }) {
  return <Preview decision={decision} mount={mount} />
}
