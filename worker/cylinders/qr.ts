import { create } from "qrcode/lib/core/qrcode.js";
import { render } from "qrcode/lib/renderer/svg-tag.js";

/**
 * An SVG QR code for a URL. Error correction Q (25%) so a label that is scuffed or frosted on a
 * cylinder in a truck still scans; 4 modules of quiet zone, as the QR standard asks.
 */
export function qrSvg(text: string): string {
  return render(create(text, { errorCorrectionLevel: "Q" }), {
    margin: 4,
    color: { dark: "#000000", light: "#ffffff" },
  });
}
