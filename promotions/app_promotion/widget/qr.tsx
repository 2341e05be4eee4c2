/** The QR code as one SVG path, a square per dark module, drawn from the rows the server encoded. */
export function QrCode({ rows, size }: { rows: string[]; size: number }) {
  let d = ''
  rows.forEach((row, y) => {
    for (let x = 0; x < row.length; x++) if (row[x] === '1') d += `M${x} ${y}h1v1h-1z`
  })
  const n = rows.length
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${n} ${n}`}
      width={size}
      height={size}
      role="img"
      aria-label="QR code to get the app"
    >
      <path d={d} fill="#000" />
    </svg>
  )
}
