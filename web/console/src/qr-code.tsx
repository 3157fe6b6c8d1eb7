/**
 * A QR code drawn as one SVG path from uqr's module matrix: sharp at any size, no canvas, and no markup
 * injected as HTML. The quiet zone of four modules is what phone cameras need to find the code.
 */
import { encode } from 'uqr';

export function QrCode(props: { value: string; label: string }) {
  const { value, label } = props;
  const { size, data } = encode(value, { ecc: 'M', border: 4 });
  let path = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      class="qr-code"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shape-rendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
