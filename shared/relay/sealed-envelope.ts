/**
 * What is inside a relay event (sealed with crypto_box_seal to the workspace's public key; the relay never
 * sees it). Version 1:
 *   [0] version = 1   [1] kind (1 = Meta webhook, 2 = a desk's copy of a message it sent)
 *   [2..9] receivedAt (float64 BE, ms)   [10..11] signature length (u16 BE)   signature (ASCII)   payload
 * For a Meta webhook the payload is the raw request body and the signature Meta's `X-Hub-Signature-256`,
 * so a desk holding the app secret checks it again: the relay can neither read nor forge an event.
 * For a desk copy the payload is the JSON of `DeskCopy` and the signature is empty.
 */
export type EnvelopeKind = 'meta' | 'desk';

export interface Envelope {
  kind: EnvelopeKind;
  receivedAt: number;
  signature: string;
  payload: Uint8Array;
}

const headerBytes = 12;
const kindByte: Record<EnvelopeKind, number> = { meta: 1, desk: 2 };

export function encodeEnvelope(envelope: Envelope): Uint8Array {
  const signature = new TextEncoder().encode(envelope.signature);
  const out = new Uint8Array(headerBytes + signature.length + envelope.payload.length);
  const view = new DataView(out.buffer);
  out[0] = 1;
  out[1] = kindByte[envelope.kind];
  view.setFloat64(2, envelope.receivedAt);
  view.setUint16(10, signature.length);
  out.set(signature, headerBytes);
  out.set(envelope.payload, headerBytes + signature.length);
  return out;
}

/** The envelope, or null for bytes that are not a version-1 envelope. */
export function decodeEnvelope(bytes: Uint8Array): Envelope | null {
  if (bytes.length < headerBytes || bytes[0] !== 1) return null;
  const kind = bytes[1] === 1 ? 'meta' : bytes[1] === 2 ? 'desk' : null;
  if (!kind) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signatureLength = view.getUint16(10);
  if (headerBytes + signatureLength > bytes.length) return null;
  return {
    kind,
    receivedAt: view.getFloat64(2),
    signature: new TextDecoder().decode(bytes.subarray(headerBytes, headerBytes + signatureLength)),
    payload: bytes.subarray(headerBytes + signatureLength),
  };
}
