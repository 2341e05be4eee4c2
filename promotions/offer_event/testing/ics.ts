/**
 * Just enough of RFC 5545 to judge an .ics in a test (node-ical is not a dependency): content lines end in CRLF
 * and none is over 75 octets, a folded line continues with one space or tab, BEGIN/END nest, and every unfolded
 * line is `NAME[;PARAM=…]:VALUE`. Answers the one top component as a tree of properties; throws with the reason
 * otherwise. For the server tests and the browser test that reads the confirmation from the outbox.
 */
export interface IcsComponent {
  name: string
  props: { name: string; params: string; value: string }[]
  children: IcsComponent[]
}

export function parseIcs(text: string): IcsComponent {
  if (!text.endsWith('\r\n')) throw new Error('the last content line does not end in CRLF')
  const physical = text.slice(0, -2).split('\r\n')
  const lines: string[] = []
  for (const line of physical) {
    if (new TextEncoder().encode(line).length > 75) throw new Error(`a line over 75 octets: ${line}`)
    if (/[\r\n]/.test(line)) throw new Error(`a bare CR or LF in: ${line}`)
    if (/^[ \t]/.test(line)) {
      if (lines.length === 0) throw new Error('the file starts with a continuation line')
      lines[lines.length - 1] += line.slice(1)
    } else lines.push(line)
  }
  const root: IcsComponent = { name: '', props: [], children: [] }
  const stack = [root]
  for (const line of lines) {
    const match = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line)
    if (!match) throw new Error(`not a content line: ${line}`)
    const [, name, params, value] = match as unknown as [string, string, string, string]
    const top = stack[stack.length - 1]!
    if (name === 'BEGIN') {
      const child: IcsComponent = { name: value, props: [], children: [] }
      top.children.push(child)
      stack.push(child)
    } else if (name === 'END') {
      if (top.name !== value) throw new Error(`END:${value} closes ${top.name || 'nothing'}`)
      stack.pop()
    } else {
      if (top === root) throw new Error(`a property outside any component: ${line}`)
      top.props.push({ name, params, value })
    }
  }
  if (stack.length !== 1) throw new Error(`${stack[stack.length - 1]!.name} is never closed`)
  if (root.children.length !== 1) throw new Error('not exactly one top component')
  return root.children[0]!
}

/** The first property of that name, if any. */
export const icsProp = (component: IcsComponent, name: string) => component.props.find((p) => p.name === name)
