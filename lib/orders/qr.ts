import "server-only";
import QRCode from "qrcode";
import { env } from "@/lib/env";

/** The order's own page at the shop's public address: what a traveller's QR code opens. */
export const orderUrl = (id: number) => new URL(`/orders/${id}`, env().APP_URL).href;

/**
 * A QR code as SVG markup, drawn on the server: the printed page needs no script and no image
 * request. Error correction M survives a crease or a smudge on the shop floor; the quiet zone is
 * the four modules the standard asks for, so a phone finds the code beside printed text.
 */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 4, color: { dark: "#000000", light: "#ffffff" } });
}
